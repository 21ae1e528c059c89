//! `flask-harden fix --yes` end to end on every project of tests/corpus and of
//! the blind holdout (tests/holdout), each in a temporary copy: every Python
//! file still compiles with CPython, the project's own pytest suite still
//! passes (with the variables the fix listed in `.env.example` set), `check`
//! reports no finding with a safe fix any more, a project that expects no
//! finding is left unchanged, and a second `fix --dry-run` proposes nothing and
//! exits 0.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::fix_cli::copy_dir;
use crate::support::{self, flask_harden, read_tree, repo_root};

/// Every project with a smoke suite under `tests/corpus` and `tests/holdout`,
/// named `corpus/<name>` or `holdout/<name>`.
fn projects() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for root in ["corpus", "holdout"] {
        let mut projects: Vec<_> = fs::read_dir(repo_root().join("tests").join(root))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("tests").is_dir())
            .map(|p| {
                (
                    format!("{root}/{}", p.file_name().unwrap().to_string_lossy()),
                    p,
                )
            })
            .collect();
        projects.sort();
        out.extend(projects);
    }
    out
}

/// Whether the project's `expected.txt` lists no finding (a hardened project).
fn expects_nothing(dir: &Path) -> bool {
    fs::read_to_string(dir.join("expected.txt"))
        .unwrap_or_default()
        .lines()
        .all(|l| l.split('#').next().unwrap_or("").trim().is_empty())
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    flask_harden()
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Names listed in `.env.example` (`NAME=` lines).
fn env_example_names(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join(".env.example"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
        .filter(|k| !k.is_empty() && !k.starts_with('#'))
        .collect()
}

/// What one project's `fix` run changed.
#[derive(Default)]
struct Fixed {
    remediations: usize,
    changed_files: usize,
}

/// Runs `fix --yes` (with `--unsafe-fixes` when asked) on a copy of one
/// project and verifies the result, adding every problem to `failures`.
fn fix_and_verify(
    name: &str,
    source: &Path,
    unsafe_fixes: bool,
    failures: &mut Vec<String>,
) -> Fixed {
    let venv = support::venv();
    let unsafe_flag: &[&str] = if unsafe_fixes {
        &["--unsafe-fixes"]
    } else {
        &[]
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(source.file_name().unwrap());
    copy_dir(source, &dir);
    let before = read_tree(&dir);

    let yes = run_in(
        &dir,
        &[&["fix", "--yes", "--format", "json"], unsafe_flag, &["."]].concat(),
    );
    // 0 when nothing remains, 1 when findings remain (checked below).
    if !matches!(yes.status.code(), Some(0 | 1)) {
        failures.push(format!(
            "{name}: fix --yes exited {:?}\n{}",
            yes.status.code(),
            String::from_utf8_lossy(&yes.stderr)
        ));
        return Fixed::default();
    }
    let applied: Vec<serde_json::Value> = serde_json::from_slice(&yes.stdout).unwrap();
    let after = read_tree(&dir);
    let fixed = Fixed {
        remediations: applied.len(),
        changed_files: after.iter().filter(|f| !before.contains(f)).count(),
    };
    if expects_nothing(source) && before != after {
        failures.push(format!("{name}: a project without findings was changed"));
    }

    let mut sources: Vec<PathBuf> = after
        .iter()
        .filter(|(p, _)| p.ends_with(".py"))
        .map(|(p, _)| dir.join(p))
        .collect();
    sources.sort();
    if let Err(err) = support::run(
        venv.python()
            .args(["-m", "py_compile"])
            .args(&sources)
            .env("PYTHONPYCACHEPREFIX", tmp.path().join("pycache")),
    ) {
        failures.push(format!("{name}: py_compile after fix\n{err}"));
    }

    let mut pytest = venv.python();
    pytest
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"])
        .current_dir(&dir)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    for var in env_example_names(&dir) {
        pytest.env(var, "test-value-0123456789abcdef0123456789abcdef");
    }
    if let Err(err) = support::run(&mut pytest) {
        failures.push(format!("{name}: pytest after fix\n{err}"));
    }

    let check = run_in(&dir, &["check", "--format", "json", "--exit-zero", "."]);
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&check.stdout).unwrap();
    let expected_code = if findings.is_empty() { 0 } else { 1 };
    if yes.status.code() != Some(expected_code) {
        failures.push(format!(
            "{name}: fix --yes exited {:?} but {} findings remain",
            yes.status.code(),
            findings.len()
        ));
    }
    let fixable_left: Vec<String> = findings
        .iter()
        .filter(|f| {
            f["fix"]["applicability"] == "safe"
                || (unsafe_fixes && f["fix"]["applicability"] == "unsafe")
        })
        .map(|f| format!("{}:{} {}", f["path"], f["line"], f["code"]))
        .collect();
    if !fixable_left.is_empty() {
        failures.push(format!("{name}: fixable findings left: {fixable_left:?}"));
    }

    let again = run_in(&dir, &[&["fix", "--dry-run"], unsafe_flag, &["."]].concat());
    if again.status.code() != Some(0) {
        failures.push(format!(
            "{name}: second run not idempotent (exit {:?})\n{}",
            again.status.code(),
            String::from_utf8_lossy(&again.stdout)
        ));
    }
    fixed
}

#[test]
fn corpus_and_holdout_projects_stay_green_after_fix_yes() {
    let mut failures = Vec::new();
    let mut changed_files = 0;
    let mut remediations = 0;
    let projects = projects();
    assert!(projects.len() >= 30, "corpus or holdout missing");
    for (name, source) in &projects {
        let fixed = fix_and_verify(name, source, false, &mut failures);
        remediations += fixed.remediations;
        changed_files += fixed.changed_files;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    eprintln!(
        "corpus and holdout: {} projects, {remediations} remediations, {changed_files} files changed or created; all compile, pass their tests and are idempotent",
        projects.len()
    );
    assert!(
        remediations > 100,
        "the corpus has many fixable findings: {remediations}"
    );
}

/// What the FH202/FH203 remediations of the extensions pattern really do, seen
/// through Flask's test client: the app built by the fixed factory (not under
/// test) redirects plain HTTP, sends the Talisman headers over HTTPS, limits
/// requests (429 after the default 120 per minute per view, which a person
/// reloading every second never reaches) and keeps its own routes; under
/// test (`TESTING = True`) neither the redirect nor the limits apply.
const EXTENSIONS_PROBE: &str = r#"
import os
os.environ.setdefault("SECRET_KEY", "probe-key-0123456789abcdef0123456789")
from library import create_app
from library.config import Config, TestingConfig
from library.extensions import limiter, talisman

app = create_app(Config)
client = app.test_client()
assert app.extensions["limiter"] == {limiter}, app.extensions.get("limiter")
assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
assert app.config["MAX_CONTENT_LENGTH"] == 16 * 1024 * 1024
plain = client.get("/api/books/")
assert plain.status_code == 302 and plain.headers["Location"].startswith("https://"), plain
secure = client.get("/api/books/", base_url="https://localhost")
assert secure.status_code == 200, secure.status_code
assert "default-src 'none'" in secure.headers["Content-Security-Policy"]
assert secure.headers["Strict-Transport-Security"].startswith("max-age=63072000")
assert secure.headers["X-Content-Type-Options"] == "nosniff"
codes = [client.get("/api/books/", base_url="https://localhost").status_code for _ in range(130)]
assert 429 in codes and codes.index(429) == 118, codes

tested = create_app(TestingConfig).test_client()
codes = [tested.get("/api/books/").status_code for _ in range(60)]
assert set(codes) == {200}, codes
print("extensions probe ok")
"#;

#[test]
fn extensions_pattern_fix_protects_the_running_app() {
    let venv = support::venv();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("library_extensions");
    copy_dir(&repo_root().join("tests/corpus/library_extensions"), &dir);
    let out = run_in(&dir, &["fix", "--yes", "."]);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let extensions = fs::read_to_string(dir.join("library/extensions.py")).unwrap();
    assert!(extensions.contains("talisman = Talisman()"), "{extensions}");
    assert!(extensions.contains("limiter = Limiter(\n"), "{extensions}");
    let factory = fs::read_to_string(dir.join("library/__init__.py")).unwrap();
    assert!(
        factory.contains("from .extensions import cors, db, limiter, talisman"),
        "{factory}"
    );
    assert!(
        factory.contains("    talisman.init_app(\n        app,\n"),
        "{factory}"
    );
    assert!(factory.contains("    limiter.init_app(app)\n"), "{factory}");
    fs::write(dir.join("probe.py"), EXTENSIONS_PROBE).unwrap();
    let probe = support::run(
        venv.python()
            .arg("probe.py")
            .current_dir(&dir)
            .env("PYTHONDONTWRITEBYTECODE", "1"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(String::from_utf8_lossy(&probe.stdout).contains("extensions probe ok"));
    // The fixed files are clean for ruff's isort and pyflakes rules.
    support::run(
        Command::new(venv.bin("ruff"))
            .args(["check", "--no-cache", "--select", "I,F", "library"])
            .current_dir(&dir),
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

/// The unsafe fixes too (generated pydantic models, bound SQL parameters,
/// cookie flags) on the holdout, whose projects were written without looking
/// at the fixes: the views keep answering their own tests.
#[test]
fn holdout_projects_stay_green_after_unsafe_fixes() {
    let mut failures = Vec::new();
    let mut remediations = 0;
    let holdout: Vec<_> = projects()
        .into_iter()
        .filter(|(name, _)| name.starts_with("holdout/"))
        .collect();
    assert!(holdout.len() >= 12, "holdout missing");
    for (name, source) in &holdout {
        remediations += fix_and_verify(name, source, true, &mut failures).remediations;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        remediations > 100,
        "the holdout has many fixable findings: {remediations}"
    );
}
