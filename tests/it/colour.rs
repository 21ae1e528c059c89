//! Every command colours its text output the same way: only on a terminal
//! (a real pseudo-terminal from util-linux `script` here), never with
//! `--no-color` or a non-empty `NO_COLOR`, never in machine formats.

use std::path::Path;
use std::process::Command;

use crate::scan::fixed_app;

/// Runs flask-harden with `args` in a pseudo-terminal in `dir`; returns what
/// the terminal showed. `no_color_env` sets `NO_COLOR=1`.
fn in_terminal(dir: &Path, args: &[&str], no_color_env: bool) -> String {
    let command = std::iter::once(env!("CARGO_BIN_EXE_flask-harden"))
        .chain(args.iter().copied())
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &command, "/dev/null"])
        .current_dir(dir)
        .env("TERM", "xterm")
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::null());
    if no_color_env {
        cmd.env("NO_COLOR", "1");
    }
    let out = cmd
        .output()
        .expect("util-linux `script` runs the command in a pseudo-terminal");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Asserts colours by default and none with `--no-color` or `NO_COLOR`.
fn assert_colour_policy(dir: &Path, args: &[&str], expect: &str) {
    let coloured = in_terminal(dir, args, false);
    assert!(coloured.contains(expect), "{args:?}: {coloured:?}");
    assert!(
        coloured.contains("\x1b["),
        "{args:?}: colours on a terminal: {coloured:?}"
    );
    let flag = in_terminal(dir, &[args, &["--no-color"]].concat(), false);
    assert!(flag.contains(expect), "{args:?}: {flag:?}");
    assert!(!flag.contains("\x1b["), "{args:?} --no-color: {flag:?}");
    let env = in_terminal(dir, args, true);
    assert!(env.contains(expect), "{args:?}: {env:?}");
    assert!(!env.contains("\x1b["), "{args:?} with NO_COLOR: {env:?}");
}

#[test]
fn check_fix_and_scan_colour_alike() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), "DEBUG = True\n").unwrap();
    assert_colour_policy(dir.path(), &["check", "--select", "FH101"], "FH101");
    assert_colour_policy(
        dir.path(),
        &["fix", "--dry-run", "--select", "FH101"],
        "FLASK_DEBUG",
    );
    let server = fixed_app();
    let url = server.url("/");
    assert_colour_policy(dir.path(), &["scan", &url], "Grade ");
    // Machine formats are never coloured, even on a terminal.
    let json = in_terminal(dir.path(), &["scan", &url, "--format", "json"], false);
    assert!(
        json.contains("\"grade\"") && !json.contains("\x1b["),
        "{json:?}"
    );
    let json = in_terminal(dir.path(), &["check", "--format", "json"], false);
    assert!(
        json.contains("\"FH101\"") && !json.contains("\x1b["),
        "{json:?}"
    );
}
