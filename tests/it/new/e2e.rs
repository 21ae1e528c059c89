//! End to end: the generated projects' own pytest suites, bandit and ruff's S
//! rules in the shared virtualenv, and a live gunicorn serving the default
//! project over real HTTP. Python is required: without it these tests fail.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{ALL_OPTIONS, generate};
use crate::postgres::Postgres;
use crate::support::{Venv, venv};

/// Runs the generated project's tests with an empty environment (PATH and
/// `env` only), asserts they all pass and returns how many did.
fn run_generated_tests(venv: &Venv, project: &Path, env: &[(&str, &str)]) -> usize {
    let out = venv
        .python()
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .current_dir(project)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .envs(env.iter().copied())
        .output()
        .expect("running pytest");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "generated tests failed:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = text.lines().last().unwrap_or_default();
    assert!(
        !summary.contains("failed") && !summary.contains("skipped") && !summary.contains("error"),
        "{summary}"
    );
    summary
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no pytest count in {summary:?}"))
}

/// bandit and ruff's S rules on the package report nothing; the whole project
/// is also lint-clean and formatted by ruff's standards.
fn scan(venv: &Venv, project: &Path, package: &str) {
    for (tool, args) in [
        ("bandit", vec!["-q", "-r", package]),
        ("ruff", vec!["check", "--select", "S", package]),
        ("ruff", vec!["check", "--select", "E,F,W,I,B,UP", "."]),
        ("ruff", vec!["format", "--check", "."]),
    ] {
        let out = Command::new(venv.bin(tool))
            .args(&args)
            .current_dir(project)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{tool} found problems in {}:\n{}{}",
            project.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Generates a project with `args`, runs its own tests and checks how many passed.
fn generated_tests_pass(label: &str, args: &[&str], at_least: usize) {
    let venv = venv();
    let tmp = tempfile::tempdir().unwrap();
    let project = generate(tmp.path(), "myapi", args);
    let passed = run_generated_tests(venv, &project, &[]);
    assert!(passed >= at_least, "only {passed} tests ran");
    eprintln!("{label} project: {passed} generated tests passed");
}

#[test]
fn default_project_tests_pass() {
    generated_tests_pass("default", &["--yes"], 70);
}

#[test]
fn all_options_project_tests_pass() {
    generated_tests_pass("all-options", ALL_OPTIONS, 95);
}

#[test]
fn scanners_and_linters_report_nothing_for_every_option_combination() {
    let venv = venv();
    let tmp = tempfile::tempdir().unwrap();
    let mut combinations = 0;
    for auth in ["none", "jwt"] {
        for db in ["none", "sqlalchemy"] {
            for storage in ["memory", "redis"] {
                for docker in ["yes", "no"] {
                    let name = format!("app-{auth}-{db}-{storage}-{docker}");
                    let args = [
                        "--yes",
                        "--auth",
                        auth,
                        "--db",
                        db,
                        "--rate-limit-storage",
                        storage,
                        "--docker",
                        docker,
                        "--ci",
                        docker,
                    ];
                    let project = generate(tmp.path(), &name, &args);
                    scan(venv, &project, &name.replace('-', "_"));
                    combinations += 1;
                }
            }
        }
    }
    assert_eq!(combinations, 16);
    // The longest accepted name keeps every line within the linters' limits.
    let longest = format!("{}-x", "a".repeat(61));
    let project = generate(tmp.path(), &longest, ALL_OPTIONS);
    scan(venv, &project, &longest.replace('-', "_"));
}

/// A gunicorn process that is killed (by its PID) when dropped.
pub(super) struct Server {
    child: Child,
    pub(super) port: u16,
    log_path: std::path::PathBuf,
}

impl Drop for Server {
    /// Asks gunicorn to stop (SIGTERM to its PID, so the master also stops its
    /// workers), then kills it if it is still there after ten seconds.
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_gunicorn(venv: &Venv, project: &Path, env: &[(&str, &str)]) -> Server {
    start_server(&venv.bin("gunicorn"), project, env)
}

/// Starts `gunicorn` (of some virtualenv) as the generated Dockerfile's command
/// does, in `project`, with PATH, one worker and `env` only.
pub(super) fn start_server(gunicorn: &Path, project: &Path, env: &[(&str, &str)]) -> Server {
    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    // The log goes to a file: a pipe nobody reads could fill and stall gunicorn.
    let log_path = project.with_extension("gunicorn.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let child = Command::new(gunicorn)
        .args(["--config", "gunicorn.conf.py", "wsgi:app"])
        .current_dir(project)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("GUNICORN_BIND", &bind)
        .env("WEB_CONCURRENCY", "1")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("starting gunicorn");
    let mut server = Server {
        child,
        port,
        log_path: log_path.clone(),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(&bind).is_err() {
        if let Some(status) = server.child.try_wait().unwrap() {
            let err = std::fs::read_to_string(&log_path).unwrap_or_default();
            panic!("gunicorn exited with {status}:\n{err}");
        }
        assert!(
            Instant::now() < deadline,
            "gunicorn did not listen on {bind} within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

/// A parsed HTTP/1.1 response.
pub(super) struct Response {
    pub(super) status: u16,
    headers: Vec<(String, String)>,
    pub(super) body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Sends one raw HTTP/1.1 request (`Connection: close`) and reads the answer.
fn request(port: u16, head: &str, body: &[u8]) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let head = format!("{head}\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .expect("a complete HTTP response");
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

/// A GET as it arrives from the trusted proxy in front of the app (which
/// terminated TLS), with extra header lines.
pub(super) fn get_via_proxy(port: u16, path: &str, headers: &str) -> Response {
    request(
        port,
        &format!("GET {path} HTTP/1.1\r\nX-Forwarded-Proto: https{headers}"),
        b"",
    )
}

/// `flask --app wsgi ARGS` in the project with only `env` (and PATH) set.
fn flask_cli(venv: &Venv, project: &Path, env: &[(&str, &str)], args: &[&str]) {
    crate::support::run(
        Command::new(venv.bin("flask"))
            .args(["--app", "wsgi"])
            .args(args)
            .current_dir(project)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .envs(env.iter().copied()),
    )
    .unwrap();
}

/// A JSON POST as it arrives from the trusted proxy, with a bearer token.
fn post_via_proxy(port: u16, path: &str, bearer: Option<&str>, body: &str) -> Response {
    let auth = bearer
        .map(|t| format!("\r\nAuthorization: Bearer {t}"))
        .unwrap_or_default();
    request(
        port,
        &format!(
            "POST {path} HTTP/1.1\r\nX-Forwarded-Proto: https\r\nContent-Type: application/json\r\nContent-Length: {}{auth}",
            body.len()
        ),
        body.as_bytes(),
    )
}

#[test]
fn gunicorn_serves_the_default_project_with_its_controls() {
    let venv = venv();
    let tmp = tempfile::tempdir().unwrap();
    let project = generate(tmp.path(), "myapi", &["--yes"]);
    // Production, behind one trusted proxy; SECRET_KEY comes from the generated .env.
    let server = start_gunicorn(
        venv,
        &project,
        &[
            ("APP_ENV", "production"),
            ("CORS_ORIGINS", "https://app.example.com"),
            ("TRUSTED_PROXIES", "1"),
            ("MAX_CONTENT_LENGTH", "1024"),
            ("WEB_CONCURRENCY", "2"),
        ],
    );
    let port = server.port;
    let via_https = "X-Forwarded-Proto: https";

    let ok = get_via_proxy(port, "/health", "\r\nOrigin: https://app.example.com");
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.body.trim(), r#"{"status":"ok"}"#);
    for (name, value) in [
        (
            "Content-Security-Policy",
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ),
        (
            "Strict-Transport-Security",
            "max-age=63072000; includeSubDomains",
        ),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
        ("Access-Control-Allow-Origin", "https://app.example.com"),
    ] {
        assert_eq!(ok.header(name), Some(value), "{name}");
    }
    assert!(ok.header("Access-Control-Allow-Credentials").is_none());
    // A worker answered, so start-up is over: with per-process counters and two
    // workers, gunicorn has said so.
    let log = std::fs::read_to_string(&server.log_path).unwrap();
    assert!(
        log.contains("RATELIMIT_STORAGE_URI is memory:// with 2 workers"),
        "{log}"
    );

    let other = get_via_proxy(
        port,
        "/health",
        "\r\nOrigin: https://app.example.com.evil.net",
    );
    assert_eq!(other.status, 200);
    assert!(
        other.header("Access-Control-Allow-Origin").is_none(),
        "disallowed origin got CORS headers"
    );

    let plain = request(port, "GET /health HTTP/1.1", b"");
    assert_eq!(plain.status, 301, "plain http must be redirected");
    assert!(plain.header("Location").unwrap().starts_with("https://"));

    // A chunked upload over MAX_CONTENT_LENGTH is refused, not truncated.
    let mut chunked = Vec::new();
    for _ in 0..4 {
        chunked.extend_from_slice(b"200\r\n");
        chunked.extend_from_slice(&[b' '; 0x200]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let too_large = request(
        port,
        &format!(
            "POST /api/notes HTTP/1.1\r\n{via_https}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked"
        ),
        &chunked,
    );
    assert_eq!(too_large.status, 413, "{}", too_large.body);
    assert!(
        too_large.body.contains(r#""status": 413"#),
        "{}",
        too_large.body
    );
    drop(server);

    // No trusted proxy: a client on the same host that claims HTTPS is still
    // redirected, and gets no HSTS over plain http.
    let server = start_gunicorn(
        venv,
        &project,
        &[
            ("APP_ENV", "production"),
            ("CORS_ORIGINS", "https://app.example.com"),
            ("TRUSTED_PROXIES", "0"),
            ("WEB_CONCURRENCY", "1"),
        ],
    );
    let forged = get_via_proxy(server.port, "/health", "");
    assert_eq!(forged.status, 301, "{}", forged.body);
    assert!(forged.header("Strict-Transport-Security").is_none());
    drop(server);
}

#[test]
fn gunicorn_serves_the_all_options_project_with_key_files() {
    let venv = venv();
    let tmp = tempfile::tempdir().unwrap();
    let project = generate(tmp.path(), "myapi", ALL_OPTIONS);
    let keys = tmp.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    let (private, public) = key_files(venv, &keys);
    let database = format!("sqlite:///{}", tmp.path().join("app.db").display());
    let env = [
        ("APP_ENV", "production"),
        ("CORS_ORIGINS", "https://app.example.com"),
        ("TRUSTED_PROXIES", "1"),
        ("RATELIMIT_STORAGE_URI", "memory://"),
        ("DATABASE_URL", database.as_str()),
        ("JWT_PRIVATE_KEY_FILE", private.to_str().unwrap()),
        ("JWT_PUBLIC_KEY_FILE", public.to_str().unwrap()),
    ];
    // The generated CLI commands: create the tables and an admin.
    for args in [
        &["init-db"][..],
        &[
            "create-user",
            "alice",
            "--role",
            "admin",
            "--password",
            "pw-for-e2e-only",
        ],
    ] {
        flask_cli(venv, &project, &env, args);
    }
    let server = start_gunicorn(venv, &project, &env);
    let health = get_via_proxy(server.port, "/health", "");
    assert_eq!(health.status, 200, "{}", health.body);
    assert_eq!(health.header("X-Frame-Options"), Some("DENY"));
    let me = get_via_proxy(server.port, "/auth/me", "");
    assert_eq!(me.status, 401);
    assert_eq!(
        me.body.trim(),
        r#"{"error": {"status": 401, "title": "Unauthorized"}}"#
    );
    let forged = get_via_proxy(
        server.port,
        "/auth/me",
        "\r\nAuthorization: Bearer not.a.token",
    );
    assert_eq!(forged.status, 401);
    assert!(
        !forged.body.contains("Not enough segments"),
        "library error text leaked: {}",
        forged.body
    );

    // Log in over HTTP, use the role-guarded route, rotate, and reuse.
    let post_json = |path: &str, bearer: Option<&str>, body: &str| {
        post_via_proxy(server.port, path, bearer, body)
    };
    let login = post_json(
        "/auth/login",
        None,
        r#"{"username": "alice", "password": "pw-for-e2e-only"}"#,
    );
    assert_eq!(login.status, 200, "{}", login.body);
    let tokens: serde_json::Value = serde_json::from_str(&login.body).unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let admin = get_via_proxy(
        server.port,
        "/auth/admin",
        &format!("\r\nAuthorization: Bearer {access}"),
    );
    assert_eq!(admin.status, 200, "{}", admin.body);
    assert_eq!(post_json("/auth/refresh", Some(refresh), "").status, 200);
    assert_eq!(
        post_json("/auth/refresh", Some(refresh), "").status,
        401,
        "refresh reuse must fail"
    );
}

/// A fresh RSA key pair as PEM text (private, public).
pub(super) fn key_pair_text(dir: &Path) -> (String, String) {
    let (private, public) = key_files(venv(), dir);
    (
        std::fs::read_to_string(private).unwrap(),
        std::fs::read_to_string(public).unwrap(),
    )
}

/// The settings the generated README's Docker section writes to
/// `.env.production` (its heredoc), the generated SECRET_KEY included.
pub(super) fn readme_docker_settings(readme: &str) -> Vec<(String, String)> {
    let start = readme
        .find("cat > .env.production <<EOF\n")
        .expect("the README writes .env.production")
        + "cat > .env.production <<EOF\n".len();
    let end = start + readme[start..].find("\nEOF\n").expect("the heredoc ends");
    readme[start..end]
        .lines()
        .map(|line| {
            let (name, value) = line.split_once('=').expect("NAME=value");
            let value = if value.starts_with("$(python3 -c") {
                "e2e-secret-key-".repeat(4)
            } else {
                value.to_string()
            };
            (name.to_string(), value)
        })
        .collect()
}

/// Writes a fresh RSA key pair to `dir` and returns (private, public) paths.
fn key_files(venv: &Venv, dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let script = "import sys\n\
        from cryptography.hazmat.primitives import serialization as s\n\
        from cryptography.hazmat.primitives.asymmetric import rsa\n\
        k = rsa.generate_private_key(public_exponent=65537, key_size=2048)\n\
        open(sys.argv[1], 'wb').write(k.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()))\n\
        open(sys.argv[2], 'wb').write(k.public_key().public_bytes(s.Encoding.PEM, s.PublicFormat.SubjectPublicKeyInfo))\n";
    let private = dir.join("private.pem");
    let public = dir.join("public.pem");
    crate::support::run(
        venv.python()
            .arg("-c")
            .arg(script)
            .arg(&private)
            .arg(&public),
    )
    .unwrap();
    (private, public)
}

/// `--auth jwt` without a database under gunicorn with three workers: a user
/// created with `flask create-user` logs in on any worker, and a logout on one
/// worker holds on every other (the state is one SQLite file, AUTH_DB_PATH).
#[test]
fn gunicorn_workers_share_the_auth_state() {
    let venv = venv();
    let tmp = tempfile::tempdir().unwrap();
    let project = generate(tmp.path(), "authapi", &["--yes", "--auth", "jwt"]);
    let (private, public) = key_files(venv, tmp.path());
    let store = tmp.path().join("state/auth.sqlite3");
    let env = [
        ("APP_ENV", "production"),
        ("CORS_ORIGINS", "https://app.example.com"),
        ("TRUSTED_PROXIES", "1"),
        ("WEB_CONCURRENCY", "3"),
        ("AUTH_DB_PATH", store.to_str().unwrap()),
        ("JWT_PRIVATE_KEY_FILE", private.to_str().unwrap()),
        ("JWT_PUBLIC_KEY_FILE", public.to_str().unwrap()),
    ];
    flask_cli(
        venv,
        &project,
        &env,
        &[
            "create-user",
            "carol",
            "--password",
            "long enough e2e password",
        ],
    );
    let server = start_gunicorn(venv, &project, &env);
    let body = r#"{"username": "carol", "password": "long enough e2e password"}"#;
    let login = post_via_proxy(server.port, "/auth/login", None, body);
    assert_eq!(login.status, 200, "{}", login.body);
    let tokens: serde_json::Value = serde_json::from_str(&login.body).unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    let bearer = format!("\r\nAuthorization: Bearer {access}");
    let statuses = |n: usize| -> Vec<u16> {
        (0..n)
            .map(|_| get_via_proxy(server.port, "/auth/me", &bearer).status)
            .collect()
    };
    assert_eq!(statuses(12), vec![200; 12]);
    let logout = post_via_proxy(server.port, "/auth/logout", Some(access), "");
    assert_eq!(logout.status, 200, "{}", logout.body);
    // Whichever worker answers, the session is over.
    assert_eq!(statuses(12), vec![401; 12]);
    let log = std::fs::read_to_string(&server.log_path).unwrap();
    assert!(log.contains("Booting worker"), "{log}");
    assert_eq!(log.matches("Booting worker").count(), 3, "{log}");
}

/// Runs `code` with the virtualenv's Python and returns what it printed.
fn python_output(venv: &Venv, code: &str, args: &[&str]) -> String {
    let out = crate::support::run(venv.python().arg("-c").arg(code).args(args)).unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The database projects on a real PostgreSQL server: their own suites (each
/// test in a schema of its own, all dropped afterwards), the migrations through
/// the generated CLI, and gunicorn storing and listing a signed-in user's notes.
#[test]
fn database_projects_run_on_postgresql() {
    let Some(postgres) = Postgres::start("database_projects_run_on_postgresql") else {
        return;
    };
    let venv = venv();
    let tmp = tempfile::tempdir().unwrap();
    let url = postgres.url();
    for (name, args) in [
        ("dbapi", &["--yes", "--db", "sqlalchemy"][..]),
        ("myapi", ALL_OPTIONS),
    ] {
        let project = generate(tmp.path(), name, args);
        let passed = run_generated_tests(venv, &project, &[("TEST_DATABASE_URL", &url)]);
        eprintln!("{name} on PostgreSQL: {passed} generated tests passed");
        assert!(passed >= 100, "only {passed} tests ran");
    }
    let query = |sql: &str| {
        python_output(
            venv,
            "import sys, psycopg\nwith psycopg.connect(sys.argv[1]) as c:\n    print(c.execute(sys.argv[2]).fetchall())",
            &[&url, sql],
        )
    };
    let leftovers = "select nspname from pg_namespace where nspname like 'test\\_%'";
    assert_eq!(
        query(leftovers),
        "[]",
        "the suites' schemas were not dropped"
    );

    // The all-options project served against the server, its schema built by
    // `flask db upgrade` alone.
    let project = tmp.path().join("myapi");
    let (private, public) = key_files(venv, tmp.path());
    let env = [
        ("APP_ENV", "production"),
        ("CORS_ORIGINS", "https://app.example.com"),
        ("TRUSTED_PROXIES", "1"),
        ("RATELIMIT_STORAGE_URI", "memory://"),
        ("DATABASE_URL", url.as_str()),
        ("JWT_PRIVATE_KEY_FILE", private.to_str().unwrap()),
        ("JWT_PUBLIC_KEY_FILE", public.to_str().unwrap()),
    ];
    flask_cli(venv, &project, &env, &["db", "upgrade"]);
    flask_cli(venv, &project, &env, &["db", "check"]);
    let password = "postgres e2e password";
    flask_cli(
        venv,
        &project,
        &env,
        &["create-user", "dave", "--password", password],
    );
    let server = start_gunicorn(venv, &project, &env);
    let credentials = format!(r#"{{"username": "dave", "password": "{password}"}}"#);
    let login = post_via_proxy(server.port, "/auth/login", None, &credentials);
    assert_eq!(login.status, 200, "{}", login.body);
    let tokens: serde_json::Value = serde_json::from_str(&login.body).unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    let note = r#"{"title": "stored in postgres", "body": "über 100% real"}"#;
    assert_eq!(
        post_via_proxy(server.port, "/api/notes", None, note).status,
        401
    );
    let created = post_via_proxy(server.port, "/api/notes", Some(access), note);
    assert_eq!(created.status, 201, "{}", created.body);
    let listed = get_via_proxy(server.port, "/api/notes?q=100%25", "");
    assert_eq!(listed.status, 200, "{}", listed.body);
    let notes: serde_json::Value = serde_json::from_str(&listed.body).unwrap();
    assert_eq!(
        notes["notes"].as_array().unwrap().len(),
        0,
        "{}",
        listed.body
    );
    let listed = get_via_proxy(server.port, "/api/notes?q=postgres", "");
    let notes: serde_json::Value = serde_json::from_str(&listed.body).unwrap();
    let notes = notes["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{}", listed.body);
    assert_eq!(notes[0]["body"], "über 100% real");
    assert!(notes[0]["created_at"].as_str().unwrap().ends_with("+00:00"));
    drop(server);
    // The rows are in PostgreSQL, in the tables the migrations made.
    assert_eq!(
        query("select title from notes"),
        "[('stored in postgres',)]"
    );
    assert!(query("select version_num from alembic_version").starts_with("[('0001"));
}

/// Runs `flask-harden scan --format json` with `args`; returns the report and
/// how long the scan took.
fn scan_json(args: &[&str]) -> (serde_json::Value, Duration) {
    let started = Instant::now();
    let out = crate::support::flask_harden()
        .arg("scan")
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let took = started.elapsed();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "scan output is not JSON ({e}):\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (report, took)
}

fn finding_ids(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["id"].as_str().map(str::to_string))
        .collect()
}

/// `scan` against the generated JWT project's own contract, as a client behind
/// its TLS proxy sees it: every guarded read refuses anonymous requests (no
/// contract finding, within seconds); then the next release loses the guard
/// of its admin view and, scanned against the contract saved before, the admin
/// operation is reported (OWASP API5:2023).
#[test]
fn scan_checks_the_generated_contract_and_reports_a_removed_guard() {
    let venv = venv();
    let tmp = tempfile::tempdir().unwrap();
    let project = generate(
        tmp.path(),
        "scanapi",
        &["--yes", "--auth", "jwt", "--db", "sqlalchemy"],
    );
    let (private, public) = key_files(venv, tmp.path());
    let database = format!("sqlite:///{}", tmp.path().join("app.db").display());
    let env = [
        ("APP_ENV", "production"),
        ("CORS_ORIGINS", "https://app.example.com"),
        ("TRUSTED_PROXIES", "1"),
        ("DATABASE_URL", database.as_str()),
        ("JWT_PRIVATE_KEY_FILE", private.to_str().unwrap()),
        ("JWT_PUBLIC_KEY_FILE", public.to_str().unwrap()),
    ];
    flask_cli(venv, &project, &env, &["db", "upgrade"]);
    let proxy = ["--header", "X-Forwarded-Proto: https"];
    let saved = tmp.path().join("contract.json");
    let contract_ids = ["unauthenticated-operation", "admin-operation-exposed"];
    {
        let server = start_gunicorn(venv, &project, &env);
        let url = format!("http://127.0.0.1:{}/", server.port);
        let (report, took) = scan_json(&[&proxy[..], &[url.as_str()]].concat());
        eprintln!("scan of the generated JWT project with its contract: {took:?}");
        assert!(took < Duration::from_secs(20), "scan took {took:?}");
        let surface = &report["surface"];
        assert_eq!(surface["secured"], 2, "{report:#}");
        assert_eq!(
            surface["public"],
            serde_json::json!(["GET /api/notes", "GET /health", "GET /openapi.json"]),
            "{report:#}"
        );
        let ids = finding_ids(&report);
        for id in contract_ids {
            assert!(!ids.iter().any(|found| found == id), "{id}: {report:#}");
        }
        let document = get_via_proxy(server.port, "/openapi.json", "");
        assert_eq!(document.status, 200);
        std::fs::write(&saved, &document.body).unwrap();
    }
    // The next release: the admin view lost its guard.
    let auth = project.join("scanapi/auth.py");
    let code = std::fs::read_to_string(&auth).unwrap();
    let unguarded = code.replace("@roles_required(\"admin\")\n", "");
    assert_ne!(code, unguarded);
    std::fs::write(&auth, unguarded).unwrap();
    let server = start_gunicorn(venv, &project, &env);
    let url = format!("http://127.0.0.1:{}/", server.port);
    let (report, _) =
        scan_json(&[&proxy[..], &["--openapi", saved.to_str().unwrap(), &url]].concat());
    let exposed = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "admin-operation-exposed")
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(exposed["owasp"]["id"], "API5:2023");
    assert!(
        exposed["message"]
            .as_str()
            .unwrap()
            .starts_with("GET /auth/admin"),
        "{exposed}"
    );
    // The document the app now serves no longer declares the guard either.
    let (live, _) = scan_json(&[&proxy[..], &[url.as_str()]].concat());
    assert_eq!(live["surface"]["secured"], 1, "{live:#}");
}
