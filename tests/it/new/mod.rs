//! Tests of `flask-harden new`: the command line, the generated tree
//! (snapshots), the generated project end to end (its own tests, scanners and a
//! live gunicorn), and the interactive flow in a pseudo-terminal.

mod cli;
mod e2e;
mod interactive;
mod lock;
mod tree;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use crate::support;

/// The all-options answers of the issue.
pub const ALL_OPTIONS: &[&str] = &[
    "--yes",
    "--auth",
    "jwt",
    "--db",
    "sqlalchemy",
    "--rate-limit-storage",
    "redis",
];

/// Runs `flask-harden new ARGS` in `dir` with no terminal on stdin.
pub fn new_in(dir: &Path, args: &[&str]) -> Output {
    support::flask_harden()
        .arg("new")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("running flask-harden")
}

/// Like [`new_in`], asserting success; returns the project folder.
pub fn generate(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let mut all = vec![name];
    all.extend_from_slice(args);
    let out = new_in(dir, &all);
    assert!(
        out.status.success(),
        "flask-harden new {all:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir.join(name)
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The SECRET_KEY line of a generated `.env`.
pub fn secret_key(project: &Path) -> String {
    let env = fs::read_to_string(project.join(".env")).unwrap();
    env.lines()
        .find_map(|line| line.strip_prefix("SECRET_KEY="))
        .expect("SECRET_KEY in .env")
        .to_string()
}
