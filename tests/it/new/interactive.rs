//! The interactive flow, once, in a real pseudo-terminal: a Python driver
//! (pty module, from the test virtualenv) types the answers as a user would.

use std::fs;

use crate::support::venv;

#[test]
fn prompts_in_a_terminal_and_uses_the_typed_answers() {
    let venv = venv();
    let tmp = tempfile::tempdir().unwrap();
    let driver = tmp.path().join("pty_driver.py");
    fs::write(&driver, include_str!("pty_driver.py")).unwrap();
    let work = tmp.path().join("work");
    fs::create_dir(&work).unwrap();
    let out = venv
        .python()
        .arg(&driver)
        .arg(env!("CARGO_BIN_EXE_flask-harden"))
        .arg(&work)
        .output()
        .unwrap();
    let transcript = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "interactive run failed: {}\n{transcript}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every question was asked, and the answers used are reported.
    for text in [
        "Project name",
        "Description",
        "Authentication",
        "Database",
        "Rate-limit storage",
        "Allowed CORS origins",
        "Add a Dockerfile?",
        "Add a CI workflow?",
        "auth = jwt",
        "rate_limit_storage = redis",
        "docker = no",
    ] {
        assert!(
            transcript.contains(text),
            "{text:?} missing from:\n{transcript}"
        );
    }
    let project = work.join("shop-api");
    assert!(project.join("shop_api/auth.py").is_file(), "jwt was chosen");
    assert!(
        !project.join("shop_api/db.py").exists(),
        "no database was chosen"
    );
    assert!(
        !project.join("Dockerfile").exists(),
        "no Dockerfile was chosen"
    );
    assert!(
        project.join(".github/workflows/ci.yml").is_file(),
        "CI default kept"
    );
    let env = fs::read_to_string(project.join(".env")).unwrap();
    assert!(
        env.contains("CORS_ORIGINS=https://shop.example.com\n"),
        "{env}"
    );
    assert!(env.contains("RATELIMIT_STORAGE_URI=redis://"), "{env}");
    let pyproject = fs::read_to_string(project.join("pyproject.toml")).unwrap();
    assert!(pyproject.contains("description = \"A hardened Flask JSON API\""));
}
