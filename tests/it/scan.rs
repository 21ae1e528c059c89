//! `flask-harden scan` end to end: a deliberately insecure Flask app under
//! `flask run --debug`, a hardened app under gunicorn with real TLS, a
//! deterministic in-process app (snapshots), and targets that misbehave.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::scan_support::{
    MockServer, ServerProcess, free_port, request_line, respond, wait_for_port,
};
use crate::support::{flask_harden, venv};

const INSECURE_APP: &str = include_str!("scan_apps/insecure_app.py");
const HARDENED_APP: &str = include_str!("scan_apps/hardened_app.py");
const MAKE_CERT: &str = include_str!("scan_apps/make_cert.py");

fn scan(args: &[&str]) -> Output {
    flask_harden().arg("scan").args(args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{}\n{}", stdout(out), stderr(out)))
}

/// The entry with `id` in the report's `tests` or `findings` array.
fn entry<'a>(report: &'a Value, list: &str, id: &str) -> Option<&'a Value> {
    report[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
}

/// Runs the insecure app with `flask run --debug` (no reloader, so the PID is the server).
fn start_insecure_app(dir: &Path) -> (ServerProcess, u16) {
    std::fs::write(dir.join("insecure_app.py"), INSECURE_APP).unwrap();
    let port = free_port();
    let log = dir.join("flask.log");
    let server = ServerProcess::spawn(
        Command::new(venv().bin("flask"))
            .args([
                "--app",
                "insecure_app",
                "run",
                "--debug",
                "--no-reload",
                "--host",
                "127.0.0.1",
                "--port",
            ])
            .arg(port.to_string())
            .current_dir(dir)
            .env_remove("FLASK_APP")
            .env_remove("FLASK_DEBUG"),
        &log,
    );
    wait_for_port(port, Duration::from_secs(30), &log);
    (server, port)
}

#[test]
fn insecure_debug_app_grades_f_with_flask_findings_mapped_to_rules() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, port) = start_insecure_app(dir.path());
    let url = format!("http://127.0.0.1:{port}/");

    let out = scan(&[&url, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["url"], url.as_str());
    assert_eq!(report["grade"], "F");
    assert!(report["score"].as_i64().unwrap() < 25, "{report:#}");

    for (id, fix) in [
        ("werkzeug-debugger", "FH101"),
        ("development-server", "FH104"),
        ("cors-reflects-origin", "FH201"),
        ("stack-trace", "FH501"),
        ("no-rate-limit", "FH203"),
    ] {
        let finding =
            entry(&report, "findings", id).unwrap_or_else(|| panic!("no {id} in {report:#}"));
        assert_eq!(finding["fix"], fix, "{id}");
    }
    assert_eq!(
        entry(&report, "findings", "werkzeug-debugger").unwrap()["severity"],
        "high"
    );
    assert!(entry(&report, "findings", "trace-enabled").is_none());

    let cors = entry(&report, "tests", "cross-origin-resource-sharing").unwrap();
    assert_eq!(
        (
            cors["pass"].as_bool(),
            cors["modifier"].as_i64(),
            cors["fix"].as_str()
        ),
        (Some(false), Some(-50), Some("FH201"))
    );
    let cookies = entry(&report, "tests", "cookies").unwrap();
    assert_eq!(
        (cookies["modifier"].as_i64(), cookies["fix"].as_str()),
        (Some(-40), Some("FH105"))
    );
    let csp = entry(&report, "tests", "content-security-policy").unwrap();
    assert_eq!(
        (csp["modifier"].as_i64(), csp["fix"].as_str()),
        (Some(-25), Some("FH202"))
    );
    assert_eq!(
        entry(&report, "tests", "strict-transport-security").unwrap()["modifier"],
        -20
    );
    assert_eq!(
        entry(&report, "tests", "redirection").unwrap()["modifier"],
        -20
    );

    // Text: grade and score first, then the table, findings and advice; --fail-under gates CI.
    let out = scan(&[&url, "--fail-under", "C"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("Grade F  (score 0)"), "{text}");
    assert!(
        text.contains("flask-harden fix --select FH101    # werkzeug-debugger"),
        "{text}"
    );
    assert!(
        text.contains("FAIL   -50  cross-origin-resource-sharing"),
        "{text}"
    );
}

/// Writes a throw-away CA and a certificate for 127.0.0.1 into `dir`
/// (`ca.pem`, `cert.pem`, `key.pem`).
fn make_certificates(dir: &Path) {
    let script = dir.join("make_cert.py");
    std::fs::write(&script, MAKE_CERT).unwrap();
    crate::support::run(venv().python().arg(&script).arg(dir)).unwrap();
}

/// Serves `app_args` with gunicorn over TLS (the certificate from
/// [`make_certificates`]) on a free port, in a clean environment plus `env`.
fn serve_tls(dir: &Path, app_args: &[&str], env: &[(&str, &str)]) -> (ServerProcess, u16) {
    let port = free_port();
    let log = dir.join("gunicorn.log");
    let server = ServerProcess::spawn(
        Command::new(venv().bin("gunicorn"))
            .args(app_args)
            .args(["--bind", &format!("127.0.0.1:{port}"), "--workers", "1"])
            .args([
                "--no-control-socket",
                "--certfile",
                "cert.pem",
                "--keyfile",
                "key.pem",
            ])
            .current_dir(dir)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .envs(env.iter().copied()),
        &log,
    );
    wait_for_port(port, Duration::from_secs(30), &log);
    (server, port)
}

/// Scans with the test CA, 3 rate-limit probes and `--fail-under A+`, and
/// checks the grade is A+ with every test passing and no finding.
fn assert_a_plus_without_findings(url: &str, ca: &Path) -> Value {
    let ca = ca.to_str().unwrap();
    let args = [
        url,
        "--ca-cert",
        ca,
        "--format",
        "json",
        "--probe-rate-limit",
        "3",
        "--fail-under",
        "A+",
    ];
    let out = scan(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    let report = json(&out);
    assert_eq!(report["grade"], "A+", "{report:#}");
    assert!(report["score"].as_i64().unwrap() >= 100, "{report:#}");
    // The generated project publishes its OpenAPI document on purpose: the
    // informational `public-api-docs` (the surface's inventory) is the only
    // finding allowed.
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .all(|f| f["id"] == "public-api-docs" && f["severity"] == "info"),
        "{report:#}"
    );
    for test in report["tests"].as_array().unwrap() {
        assert_eq!(test["pass"], true, "{test}");
        assert_eq!(test["fix"], Value::Null, "{test}");
    }
    assert_eq!(
        entry(&report, "tests", "content-security-policy").unwrap()["modifier"],
        10
    );
    assert_eq!(
        entry(&report, "tests", "strict-transport-security").unwrap()["modifier"],
        0
    );
    report
}

#[test]
fn generated_project_over_tls_grades_a_plus_with_no_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let out = flask_harden()
        .args(["new", "myapi", "--yes"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "flask-harden new failed:\n{}",
        stderr(&out)
    );
    let project = tmp.path().join("myapi");
    make_certificates(&project);
    // Production settings; SECRET_KEY comes from the generated .env. CORS is on
    // for one origin, so the foreign origin of the probes must not be reflected.
    let env = [
        ("APP_ENV", "production"),
        ("CORS_ORIGINS", "https://app.example.com"),
    ];
    let (_server, port) = serve_tls(
        &project,
        &["--config", "gunicorn.conf.py", "wsgi:app"],
        &env,
    );
    // /health is exempt from rate limits (load balancers poll it): the API's
    // root is graded, a JSON 404 under the default limits.
    let url = format!("https://127.0.0.1:{port}/");
    let report = assert_a_plus_without_findings(&url, &project.join("ca.pem"));
    assert_eq!(report["url"], url.as_str());

    // The system roots do not know the test CA: a clear TLS error, exit 2.
    let out = scan(&[&url]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("TLS handshake failed") && err.contains("--ca-cert"),
        "{err}"
    );

    // --insecure scans anyway, says so, and HSTS no longer counts.
    let out = scan(&[&url, "--insecure"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("verification is disabled"));
    let text = stdout(&out);
    assert!(
        text.contains("TLS certificate verification was disabled (--insecure)"),
        "{text}"
    );
    assert!(
        text.contains("FAIL   -20  strict-transport-security"),
        "{text}"
    );
}

#[test]
fn hardened_app_with_session_cookie_over_tls_grades_a_plus() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("hardened_app.py"), HARDENED_APP).unwrap();
    make_certificates(dir);
    let (_server, port) = serve_tls(dir, &["hardened_app:app"], &[]);
    let report =
        assert_a_plus_without_findings(&format!("https://127.0.0.1:{port}/"), &dir.join("ca.pem"));
    let cookies = entry(&report, "tests", "cookies").unwrap();
    assert_eq!(cookies["modifier"], 5, "{cookies}");
}

/// A fixed app: mixed results, deterministic output.
pub fn fixed_app() -> MockServer {
    MockServer::start(|head, stream| {
        let (method, path) = request_line(head);
        let common = [
            ("Server", "Werkzeug/3.1.9 Python/3.11.2"),
            ("X-RateLimit-Limit", "10"),
        ];
        match (method, path) {
            ("OPTIONS", _) => respond(
                stream,
                "200 OK",
                &[common[0], ("Allow", "GET, HEAD, OPTIONS, TRACE")],
                "",
            ),
            ("GET", "/") => respond(
                stream,
                "200 OK",
                &[
                    common[0],
                    common[1],
                    ("Content-Type", "text/html; charset=utf-8"),
                    (
                        "Content-Security-Policy",
                        "default-src 'self'; script-src 'self' 'unsafe-inline'",
                    ),
                    (
                        "Set-Cookie",
                        "session=abc; Secure; HttpOnly; SameSite=Lax; Path=/",
                    ),
                    ("X-Content-Type-Options", "nosniff"),
                    ("Referrer-Policy", "unsafe-url"),
                    ("Access-Control-Allow-Origin", "*"),
                    ("Cross-Origin-Opener-Policy", "same-origin"),
                ],
                r#"<html><script src="https://cdn.example.net/lib.js"></script></html>"#,
            ),
            _ => respond(
                stream,
                "404 NOT FOUND",
                &[common[0], ("Content-Type", "text/html")],
                "<h1>Not Found</h1>",
            ),
        }
    })
}

#[test]
fn fixed_app_report_snapshots() {
    let server = fixed_app();
    let url = server.url("/");
    let redact = |s: String| s.replace(&server.port.to_string(), "PORT");
    let json = scan(&[&url, "--format", "json"]);
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    let text = scan(&[&url]);
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("scan_fixed_app_json", redact(stdout(&json)));
        insta::assert_snapshot!("scan_fixed_app_text", redact(stdout(&text)));
    });
}

/// Runs a scan that must fail cleanly: exit 2, a message, no panic, bounded time.
fn scan_fails(args: &[&str], limit: Duration) -> String {
    let started = Instant::now();
    let out = scan(args);
    let elapsed = started.elapsed();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "args {args:?}: {err}");
    assert!(elapsed < limit, "took {elapsed:?} for {args:?}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    err
}

#[test]
fn unreachable_host_is_a_clear_error() {
    let port = free_port();
    let err = scan_fails(
        &[&format!("http://127.0.0.1:{port}/")],
        Duration::from_secs(10),
    );
    assert!(err.contains("connection refused"), "{err}");
}

#[test]
fn non_http_service_is_a_clear_error() {
    let server = MockServer::start(|_, stream| {
        use std::io::Write;
        let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.6\r\nProtocol mismatch.\r\n");
    });
    let err = scan_fails(
        &[&server.url("/"), "--timeout", "3"],
        Duration::from_secs(10),
    );
    assert!(err.contains("did not answer with HTTP"), "{err}");
}

#[test]
fn redirect_to_https_on_a_plain_http_port_says_so() {
    // A development server behind `force_https`: it redirects to https on the
    // same port, which speaks only plain HTTP. (The mock answers a TLS hello
    // only after its 5 s read timeout, hence the generous time limit.)
    let server = MockServer::start(|head, stream| {
        let host = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("host")
                    .then(|| value.trim().to_owned())
            })
            .unwrap_or_default();
        let location = format!("https://{host}/");
        respond(stream, "302 FOUND", &[("Location", &location)], "");
    });
    let err = scan_fails(&[&server.url("/")], Duration::from_secs(20));
    let expected = format!(
        "the server redirected to https://127.0.0.1:{}/ but that port does not speak TLS",
        server.port
    );
    assert!(err.contains(&expected), "{err}");
    // Scanning https:// on that port directly is the same mistake, said plainly.
    let err = scan_fails(
        &[&format!("https://127.0.0.1:{}/", server.port)],
        Duration::from_secs(20),
    );
    assert!(err.contains("that port does not speak TLS"), "{err}");
}

#[test]
fn redirect_loop_is_a_clear_error() {
    let server = MockServer::start(|head, stream| {
        let next = if request_line(head).1 == "/a" {
            "/b"
        } else {
            "/a"
        };
        respond(stream, "302 FOUND", &[("Location", next)], "");
    });
    let err = scan_fails(&[&server.url("/a")], Duration::from_secs(10));
    assert!(err.contains("redirect loop"), "{err}");
}

#[test]
fn slow_server_times_out() {
    let server = MockServer::start(|_, _stream| std::thread::sleep(Duration::from_secs(20)));
    let err = scan_fails(
        &[&server.url("/"), "--timeout", "1"],
        Duration::from_secs(8),
    );
    assert!(err.contains("timeout"), "{err}");
}

#[test]
fn huge_body_is_read_only_up_to_the_limit() {
    const SIZE: usize = 64 * 1024 * 1024;
    let server = MockServer::start(|_, stream| {
        use std::io::Write;
        let head =
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {SIZE}\r\n\r\n");
        if stream.write_all(head.as_bytes()).is_err() {
            return;
        }
        let chunk = vec![b'a'; 64 * 1024];
        for _ in 0..SIZE / chunk.len() {
            if stream.write_all(&chunk).is_err() {
                return; // The scanner stopped reading and closed.
            }
        }
    });
    let started = Instant::now();
    let out = scan(&[&server.url("/"), "--timeout", "5"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        stdout(&out).contains("answers cut off (body over 1048576 bytes"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn usage_errors_exit_2() {
    let err = scan_fails(&["ftp://127.0.0.1/"], Duration::from_secs(5));
    assert!(err.contains("only http and https"), "{err}");
    let err = scan_fails(&["not a url"], Duration::from_secs(5));
    assert!(err.contains("invalid URL"), "{err}");
    let err = scan_fails(
        &["http://127.0.0.1:9/", "--probe-rate-limit", "201"],
        Duration::from_secs(5),
    );
    assert!(err.contains("201"), "{err}");
    let err = scan_fails(
        &["http://127.0.0.1:9/", "--fail-under", "E"],
        Duration::from_secs(5),
    );
    assert!(err.contains("unknown grade"), "{err}");
    let err = scan_fails(
        &["http://127.0.0.1:9/", "--header", "no colon"],
        Duration::from_secs(5),
    );
    assert!(err.contains("Name: value"), "{err}");
    let err = scan_fails(
        &["http://127.0.0.1:9/", "--header", "Bad Name: x"],
        Duration::from_secs(5),
    );
    assert!(err.contains("invalid --header"), "{err}");
    let err = scan_fails(
        &["http://127.0.0.1:9/", "--ca-cert", "/nonexistent/ca.pem"],
        Duration::from_secs(5),
    );
    assert!(err.contains("cannot read the CA certificate"), "{err}");
}

#[test]
fn custom_headers_are_sent_and_only_get_and_options() {
    use std::sync::{Arc, Mutex};
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let server = {
        let seen = Arc::clone(&seen);
        MockServer::start(move |head, stream| {
            seen.lock().unwrap().push(head.to_string());
            respond(
                stream,
                "200 OK",
                &[("Content-Type", "application/json")],
                "{}",
            );
        })
    };
    let out = scan(&[
        &server.url("/"),
        "--header",
        "Authorization: Bearer t0ken",
        "--probe-rate-limit",
        "4",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let seen = seen.lock().unwrap();
    // 8 fixed probes, the exposure probes, the 4 rate-limit GETs.
    let exposure = flask_harden::scan::probes::exposure::PATHS.len();
    assert_eq!(seen.len(), 8 + exposure + 4, "{seen:#?}");
    for head in seen.iter() {
        assert!(
            head.contains("authorization: Bearer t0ken")
                || head.contains("Authorization: Bearer t0ken"),
            "{head}"
        );
        assert!(!head.to_ascii_lowercase().contains("cookie:"), "{head}");
        let method = request_line(head).0;
        assert!(["GET", "OPTIONS"].contains(&method), "{head}");
    }
    // The report must never echo the secret header.
    assert!(!stdout(&out).contains("t0ken"));
    assert!(stdout(&out).contains("no rate-limit headers and no 429 after 4 extra requests"));
}

#[test]
fn off_host_redirect_is_recorded_not_followed_and_non_2xx_noted() {
    let server = MockServer::start(|head, stream| {
        if request_line(head).1 == "/" {
            respond(
                stream,
                "302 FOUND",
                &[("Location", "https://elsewhere.invalid/login")],
                "",
            );
        } else {
            respond(
                stream,
                "404 NOT FOUND",
                &[("Content-Type", "text/html")],
                "<h1>Not Found</h1>",
            );
        }
    });
    let out = scan(&[&server.url("/"), "--timeout", "5"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "redirect to another origin recorded, not followed: https://elsewhere.invalid/login"
        ),
        "{text}"
    );
    assert!(
        text.contains("the URL answered HTTP 302, not 2xx"),
        "{text}"
    );
    // http -> https on another host first: the Observatory's -5 outcome.
    assert!(text.contains("FAIL    -5  redirection"), "{text}");
}
