//! The standing adversarial suite (issue 15): hostile servers and hostile
//! inputs. Each test reproduces a defect found by the stress sweep and proves
//! it stays fixed: credentials never leave the scanned origin, secrets are
//! never echoed, bad files are refused without touching anything.

use std::process::Output;
use std::sync::{Arc, Mutex};

use crate::scan_support::{MockServer, respond};
use crate::support::flask_harden;

fn scan(args: &[&str]) -> Output {
    flask_harden().arg("scan").args(args).output().unwrap()
}

/// Records every request head it receives and answers 200.
fn recorder() -> (MockServer, Arc<Mutex<Vec<String>>>) {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let server = {
        let seen = Arc::clone(&seen);
        MockServer::start(move |head, stream| {
            seen.lock().unwrap().push(head.to_string());
            respond(
                stream,
                "200 OK",
                &[("Content-Type", "text/plain")],
                "stolen",
            )
        })
    };
    (server, seen)
}

#[test]
fn redirect_to_another_port_never_receives_the_header_credentials() {
    let (thief, seen) = recorder();
    let steal = thief.url("/steal");
    let target = {
        let steal = steal.clone();
        MockServer::start(move |_head, stream| {
            respond(stream, "302 FOUND", &[("Location", steal.as_str())], "")
        })
    };
    let out = scan(&[
        "--format",
        "json",
        "--header",
        "Authorization: Bearer s3cr3t-t0ken",
        &target.url("/"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let heads = seen.lock().unwrap();
    assert!(
        heads.iter().all(|h| !h.contains("s3cr3t-t0ken")),
        "the credential reached another origin: {heads:#?}"
    );
    // The redirect is recorded, not followed: the other port gets nothing.
    assert!(heads.is_empty(), "{heads:#?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["url"], target.url("/"));
    let text = scan(&["--no-color", &target.url("/")]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("redirect to another origin recorded, not followed"),
        "{text}"
    );
}

#[test]
fn exposure_and_contract_probes_send_credentials_only_to_the_target() {
    let (server, seen) = recorder();
    let out = scan(&["--header", "X-Api-Key: k3y-value", &server.url("/")]);
    assert_eq!(out.status.code(), Some(0));
    let heads = seen.lock().unwrap();
    // Every request went to the target's origin, so every one carries it.
    assert!(heads.len() > 20, "{}", heads.len());
    assert!(heads.iter().all(|h| h.contains("k3y-value")));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("k3y-value"));
}

#[test]
fn malformed_header_values_are_never_echoed() {
    for bad in [
        "Authorization Bearer T0KEN-SECRET",
        "Authorization: Bearer T0KEN-SECRET\r\nX-Evil: 1",
        "Bad Name: T0KEN-SECRET",
        ": T0KEN-SECRET",
    ] {
        let out = scan(&["--header", bad, "http://127.0.0.1:9/"]);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains("T0KEN-SECRET"), "{bad:?} echoed: {all}");
        assert!(all.contains("--header"), "{all}");
    }
}

const DEBUG_APP: &str = "from flask import Flask\n\napp = Flask(__name__)\napp.run(debug=True)\n";

#[cfg(unix)]
#[test]
fn fix_never_writes_through_a_named_symbolic_link() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    let proj = dir.path().join("proj");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(&proj).unwrap();
    std::fs::write(outside.join("shared.py"), DEBUG_APP).unwrap();
    std::os::unix::fs::symlink("../outside/shared.py", proj.join("shared.py")).unwrap();
    let out = flask_harden()
        .args(["fix", "--yes"])
        .arg(proj.join("shared.py"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link not followed"));
    assert_eq!(
        std::fs::read_to_string(outside.join("shared.py")).unwrap(),
        DEBUG_APP
    );
    // The folder walk does not follow it either.
    let out = flask_harden()
        .args(["fix", "--yes"])
        .arg(&proj)
        .output()
        .unwrap();
    assert!(out.status.code().is_some());
    assert_eq!(
        std::fs::read_to_string(outside.join("shared.py")).unwrap(),
        DEBUG_APP
    );
}

#[cfg(unix)]
#[test]
fn new_force_never_writes_through_a_linked_folder() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("outside_tests");
    let proj = dir.path().join("proj");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::create_dir_all(&proj).unwrap();
    std::os::unix::fs::symlink("../outside_tests", proj.join("tests")).unwrap();
    let out = flask_harden()
        .args(["new", "proj", "--yes", "--force"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is a symbolic link: nothing was written"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    // Nothing at all was written into the project folder either.
    assert_eq!(std::fs::read_dir(&proj).unwrap().count(), 1);
    // A file where the folder should be: one clear cause, not repeated.
    std::fs::write(dir.path().join("taken"), "").unwrap();
    let out = flask_harden()
        .args(["new", "taken", "--yes"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("not a folder").count(), 1, "{err}");
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_named_on_the_command_line_exit_2_without_reading() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.py");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    for (command, target) in [
        ("check", fifo.as_path()),
        ("fix", fifo.as_path()),
        ("check", std::path::Path::new("/dev/zero")),
    ] {
        let mut cmd = flask_harden();
        cmd.arg(command);
        if command == "fix" {
            cmd.arg("--yes");
        }
        let out = cmd
            .arg(target)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{command} {}", target.display());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("not a regular file or folder"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_file_too_deep_to_walk_is_skipped_and_the_others_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), DEBUG_APP).unwrap();
    let deep = format!("x = {}\n", vec!["a"; 200_000].join("+"));
    std::fs::write(dir.path().join("generated.py"), deep).unwrap();
    let out = flask_harden()
        .args(["check", "--select", "FH101"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("FH101"), "{stdout}");
    let all = format!("{stdout}{stderr}");
    assert!(
        all.contains("generated.py") && all.contains("too deep to analyse safely"),
        "{all}"
    );
}

/// Answers every request with headers at once, then drips its body one byte
/// every 200 ms (a slowloris in reverse).
fn dripping_server() -> MockServer {
    use std::io::Write as _;
    MockServer::start(|_head, stream| {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n";
        if stream.write_all(head.as_bytes()).is_err() {
            return;
        }
        for _ in 0..300 {
            if stream.write_all(b"x").is_err() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    })
}

#[test]
fn a_dripping_server_cannot_hold_the_scan_past_max_time() {
    let server = dripping_server();
    let started = std::time::Instant::now();
    let out = scan(&[
        "--no-color",
        "--timeout",
        "2",
        "--max-time",
        "6",
        &server.url("/"),
    ]);
    let elapsed = started.elapsed();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // About forty probes of two seconds each would take over a minute.
    assert!(elapsed < std::time::Duration::from_secs(15), "{elapsed:?}");
    assert!(text.contains("the scan reached its --max-time"), "{text}");
    assert!(text.contains("answers cut off"), "{text}");
}

#[test]
fn a_plain_server_that_hangs_up_is_not_called_a_tls_failure() {
    let server = MockServer::start(|_head, _stream| {});
    for url in [
        server.url("/"),
        server.url("/").replace("http://", "https://"),
    ] {
        let out = scan(&[&url]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("closed the connection without answering"),
            "{url}: {err}"
        );
        assert!(!err.contains("--ca-cert"), "{err}");
    }
}

#[test]
fn credentials_beside_a_fixed_line_are_masked_in_every_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        "import os\n\nfrom flask import Flask\n\nAWS_SECRET_ACCESS_KEY = \"AKIAVERYSECRET0001\"\nMAIL_PASSWORD = \"m41l-p4ssw0rd-0002\"\napp = Flask(__name__)\napp.config[\"API_KEY\"] = \"api-k3y-0003\"\napp.run(debug=True)\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".flaskenv"),
        "FLASK_APP=app\nSECRET_KEY=fl4skenv-s3cret-0004\nFLASK_DEBUG=1\n",
    )
    .unwrap();
    let secrets = [
        "AKIAVERYSECRET0001",
        "m41l-p4ssw0rd-0002",
        "api-k3y-0003",
        "fl4skenv-s3cret-0004",
    ];
    for args in [
        vec!["check"],
        vec!["check", "--format", "json"],
        vec!["check", "--format", "sarif"],
        vec!["check", "--format", "github"],
        vec!["fix", "--dry-run"],
        vec!["fix", "--dry-run", "--format", "json"],
    ] {
        let out = flask_harden().args(&args).arg(dir.path()).output().unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for secret in secrets {
            assert!(!all.contains(secret), "{args:?} printed {secret}:\n{all}");
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8_is_still_checked_and_counted() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9_\x1b[31mred.py");
    std::fs::write(dir.path().join(name), DEBUG_APP).unwrap();
    let out = flask_harden()
        .args(["check", "--select", "FH101", "--statistics"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("FH101"), "{stdout}");
    assert!(
        stderr.contains("1 files analysed") || stderr.contains("1 file analysed"),
        "{stderr}"
    );
    // The escape character of the name never reaches the terminal raw.
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
}

#[test]
fn cr_only_files_keep_their_line_endings_after_fix() {
    let dir = tempfile::tempdir().unwrap();
    let text = "from flask import Flask\r\rapp = Flask(__name__)\rapp.run(debug=True)\r";
    std::fs::write(dir.path().join("app.py"), text).unwrap();
    let out = flask_harden()
        .args(["fix", "--yes"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fixed = std::fs::read(dir.path().join("app.py")).unwrap();
    assert_ne!(fixed, text.as_bytes(), "nothing was fixed");
    assert!(!fixed.contains(&b'\n'), "LF inserted into a CR-only file");
}

#[test]
fn a_huge_line_is_shown_cut_not_whole() {
    let dir = tempfile::tempdir().unwrap();
    let filler = format!("x = [{}]", "1, ".repeat(200_000));
    std::fs::write(
        dir.path().join("app.py"),
        format!("from flask import Flask\napp = Flask(__name__)\n{filler}; app.run(debug=True)\n"),
    )
    .unwrap();
    for args in [
        vec!["check", "--select", "FH101"],
        vec!["fix", "--dry-run", "--select", "FH101"],
    ] {
        let out = flask_harden().args(&args).arg(dir.path()).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("FH101"), "{args:?}");
        // The 600 KB line is never printed whole.
        assert!(
            stdout.len() < 20_000,
            "{args:?} printed {} bytes",
            stdout.len()
        );
    }
}

#[test]
fn configuration_and_file_errors_say_where_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.flask-harden]\nselect = [\"FH1\"\nignore = 3\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("app.py"), "x = 1\n").unwrap();
    let out = flask_harden()
        .arg("check")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is not valid TOML: line 3, column 1:"),
        "{err}"
    );
    // A directory given as --ca-cert: the cause once, no Rust debug text.
    let out = scan(&[
        "--ca-cert",
        dir.path().to_str().unwrap(),
        "http://127.0.0.1:9/",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("Is a directory").count(), 1, "{err}");
    assert!(!err.contains("Os {") && !err.contains("kind:"), "{err}");
}

#[test]
fn a_file_over_the_size_limit_is_skipped_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), DEBUG_APP).unwrap();
    let generated = format!("DATA = [{}]\n", "1, ".repeat(3_000_000));
    std::fs::write(dir.path().join("generated.py"), generated).unwrap();
    let out = flask_harden()
        .args(["check", "--select", "FH101"])
        .arg(dir.path())
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("FH101"), "{all}");
    assert!(
        all.contains("generated.py: 9 MB, over the 8 MB limit"),
        "{all}"
    );
}

/// Answers every request with `response` (raw bytes) and closes.
fn raw_server(response: Vec<u8>) -> MockServer {
    use std::io::Write as _;
    MockServer::start(move |_head, stream| {
        let _ = stream.write_all(&response);
    })
}

#[test]
fn hostile_answers_end_in_a_clear_result_not_a_crash_or_a_hang() {
    // Huge headers: a megabyte of header lines.
    let mut huge = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n".to_vec();
    for i in 0..20_000 {
        huge.extend_from_slice(format!("X-Filler-{i}: {}\r\n", "a".repeat(40)).as_bytes());
    }
    huge.extend_from_slice(b"\r\nok");
    // A gzip bomb: a declared gzip body of zeros (never inflated).
    let mut bomb = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: text/html\r\nContent-Length: 2000000\r\n\r\n".to_vec();
    bomb.extend(std::iter::repeat_n(0u8, 2_000_000));
    // A status line that is not HTTP.
    let bad_status = b"HTTP/1.1 OK-ISH\r\n\r\n".to_vec();
    let garbage = b"\x00\x01\x02 SSH-2.0-OpenSSH\r\n".to_vec();
    for (name, response, expect_ok) in [
        ("huge headers", huge, false),
        ("gzip bomb", bomb, true),
        ("bad status line", bad_status, false),
        ("not http", garbage, false),
    ] {
        let server = raw_server(response);
        let started = std::time::Instant::now();
        let out = scan(&["--timeout", "5", "--max-time", "30", &server.url("/")]);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(40),
            "{name}"
        );
        let code = out.status.code();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{name}: {err}");
        if expect_ok {
            assert_eq!(code, Some(0), "{name}: {err}");
            assert!(
                String::from_utf8_lossy(&out.stdout).contains("Grade"),
                "{name}"
            );
        } else {
            assert!(
                code == Some(2) && err.starts_with("error: "),
                "{name}: {code:?} {err}"
            );
        }
    }
}
