//! Where Flask developers get flask-harden: the maturin wheel (`pip install`),
//! the pre-commit hooks of `.pre-commit-hooks.yaml`, shell completions and the
//! manual page.
//!
//! The wheel and the pre-commit environment are built for real with maturin
//! and pip from the e2e virtualenv. Their cargo builds use their own target
//! folder (`target/e2e/wheel-target`) so they never wait on the lock of the
//! `cargo test` that runs them, and later runs only rebuild this crate.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::support::{create_venv, flask_harden, repo_root, run, target_dir, venv};

/// The cargo target folder of the release builds that maturin and pip make.
fn wheel_target() -> PathBuf {
    target_dir().join("e2e").join("wheel-target")
}

/// Builds the wheel once per test run (maturin from the e2e virtualenv) and
/// returns its path.
fn wheel() -> &'static Path {
    static WHEEL: OnceLock<PathBuf> = OnceLock::new();
    WHEEL.get_or_init(|| {
        let out = target_dir().join("e2e").join("wheels");
        if out.exists() {
            fs::remove_dir_all(&out).unwrap();
        }
        run(Command::new(venv().bin("maturin"))
            .args(["build", "--release", "--locked", "--out"])
            .arg(&out)
            .current_dir(repo_root())
            .env("CARGO_TARGET_DIR", wheel_target()))
        .unwrap_or_else(|err| panic!("maturin build: {err}"));
        let wheels: Vec<PathBuf> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "whl"))
            .collect();
        assert_eq!(wheels.len(), 1, "one wheel expected in {}", out.display());
        wheels.into_iter().next().unwrap()
    })
}

fn corpus(name: &str) -> PathBuf {
    repo_root().join("tests/corpus").join(name)
}

/// Copies a corpus project into a fresh temporary folder.
fn copy_project(name: &str) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&corpus(name), dir.path());
    dir
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_wheel_puts_a_working_flask_harden_on_path() {
    let wheel = wheel();
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!("flask_harden-{}-", env!("CARGO_PKG_VERSION"))),
        "wheel name {name} carries the crate version"
    );
    assert!(
        name.contains("-py3-none-"),
        "a binary wheel works with any Python 3: {name}"
    );

    // A fresh virtualenv with nothing but the wheel.
    let scratch = tempfile::tempdir().unwrap();
    let fresh_venv = create_venv(&scratch.path().join("venv")).unwrap();
    let fresh = fresh_venv.root.clone();
    run(fresh_venv.pip_install().arg("--no-index").arg(wheel)).unwrap();
    let exe = fresh.join("bin/flask-harden");
    assert!(exe.is_file(), "pip put flask-harden in the venv's bin/");

    let version = run(Command::new(&exe).arg("--version")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("flask-harden {}", env!("CARGO_PKG_VERSION"))
    );

    // The installed binary finds what the test binary finds, byte for byte.
    let project = corpus("blog_single_file");
    let installed = Command::new(&exe)
        .args(["check", "--format", "json"])
        .current_dir(&project)
        .output()
        .unwrap();
    let built = flask_harden()
        .args(["check", "--format", "json"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert_eq!(installed.status.code(), Some(1), "{}", text(&installed));
    assert_eq!(installed.stdout, built.stdout);
    let findings: serde_json::Value = serde_json::from_slice(&installed.stdout).unwrap();
    assert!(
        findings
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "FH102"),
        "{findings}"
    );

    // A fully hardened project passes.
    let clean = Command::new(&exe)
        .arg("check")
        .current_dir(corpus("secure_single_file"))
        .output()
        .unwrap();
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));
}

/// Makes `dir` a git repository with every file committed, as pre-commit
/// needs (`--all-files` runs on the tracked files).
fn git_init(dir: &Path) {
    for args in [
        &["init", "--quiet", "--initial-branch", "main"][..],
        &["add", "--all"],
        &[
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@localhost",
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
            "project",
        ],
    ] {
        run(Command::new("git").args(args).current_dir(dir)).unwrap();
    }
}

fn pre_commit(project: &Path, hook: &str) -> Output {
    Command::new(venv().bin("pre-commit"))
        .args(["try-repo"])
        .arg(repo_root())
        .args([hook, "--all-files", "--color", "never"])
        .current_dir(project)
        .env(
            "PRE_COMMIT_HOME",
            target_dir().join("e2e").join("pre-commit-home"),
        )
        .env("CARGO_TARGET_DIR", wheel_target())
        .env("PIP_CACHE_DIR", target_dir().join("e2e").join("pip-cache"))
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

#[test]
fn pre_commit_hooks_fail_on_findings_and_pass_on_a_hardened_project() {
    // The hook's environment is built by pre-commit itself (pip install of
    // this repository, which runs maturin); build the wheel first so that
    // cargo's dependency artifacts are there to reuse.
    wheel();

    let insecure = copy_project("blog_single_file");
    git_init(insecure.path());
    let out = pre_commit(insecure.path(), "flask-harden");
    let report = text(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("flask-harden check"), "{report}");
    assert!(report.contains("Failed"), "{report}");
    assert!(
        report.contains("FH102"),
        "the failing hook names the code: {report}"
    );

    let hardened = copy_project("secure_single_file");
    git_init(hardened.path());
    let out = pre_commit(hardened.path(), "flask-harden");
    let report = text(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(report.contains("Passed"), "{report}");

    // The fix hook rewrites the insecure project and fails the commit
    // because files changed, as formatters' hooks do.
    let before = fs::read(insecure.path().join("app.py")).unwrap();
    let out = pre_commit(insecure.path(), "flask-harden-fix");
    let report = text(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains("files were modified by this hook"),
        "{report}"
    );
    let after = fs::read(insecure.path().join("app.py")).unwrap();
    assert_ne!(before, after, "fix --yes rewrote app.py");
    assert!(
        !String::from_utf8_lossy(&after).contains("SECRET_KEY\"] = \""),
        "the hardcoded secret is gone"
    );
}

#[test]
fn bash_completion_completes_subcommands_and_flags() {
    let script = flask_harden()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(script.status.success());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flask-harden.bash");
    fs::write(&path, &script.stdout).unwrap();
    // Source the script in a real bash and ask it to complete, as a shell does.
    let complete = |words: &str, cword: usize| -> String {
        let program = format!(
            "source {path}; COMP_WORDS=({words}); COMP_CWORD={cword}; \
             COMP_LINE='{words}'; COMP_POINT=${{#COMP_LINE}}; \
             _flask__harden flask-harden \"${{COMP_WORDS[$COMP_CWORD]}}\" \"${{COMP_WORDS[$COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            path = path.display()
        );
        let out = run(Command::new("bash").args(["--norc", "-c", &program])).unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let subcommands = complete("flask-harden ''", 1);
    for name in ["check", "fix", "scan", "new", "rule", "completions", "man"] {
        assert!(
            subcommands.lines().any(|l| l == name),
            "{name} in {subcommands}"
        );
    }
    let flags = complete("flask-harden check --for", 2);
    assert_eq!(flags.trim(), "--format", "{flags}");
    let formats = complete("flask-harden check --format ''", 3);
    for value in ["text", "json", "sarif", "github"] {
        assert!(formats.lines().any(|l| l == value), "{value} in {formats}");
    }

    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = flask_harden()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("flask-harden"),
            "{shell}"
        );
    }
    let bad = flask_harden()
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn man_pages_render_for_the_tool_and_each_subcommand() {
    let main = flask_harden().arg("man").output().unwrap();
    assert!(main.status.success());
    let page = String::from_utf8_lossy(&main.stdout);
    assert!(page.contains(".TH flask-harden 1"), "{page}");
    for name in ["check", "fix", "scan", "new", "rule"] {
        assert!(
            page.contains(&format!("flask\\-harden\\-{name}(1)")),
            "{name}: {page}"
        );
        let sub = flask_harden().args(["man", name]).output().unwrap();
        assert!(sub.status.success(), "{name}");
        let sub_page = String::from_utf8_lossy(&sub.stdout);
        assert!(
            sub_page.contains(&format!(".TH flask-harden-{name} 1")),
            "{sub_page}"
        );
    }
    let check = String::from_utf8_lossy(
        &flask_harden()
            .args(["man", "check"])
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    assert!(check.contains("\\-\\-format"), "{check}");
    assert!(check.contains("Exit codes"), "{check}");
    let unknown = flask_harden().args(["man", "nope"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown subcommand `nope`"));
}
