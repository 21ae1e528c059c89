//! `flask-harden scan` and the attack surface (issue 12): exposure probes
//! recognised by content (a real Flask app serving its own project folder; an
//! app that answers 200 with the same page to every path), the OWASP API
//! Security Top 10 (2023) category on every finding and failed test, and SARIF
//! output valid against the 2.1.0 schema.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use serde_json::Value;

use crate::scan_support::{
    MockServer, ServerProcess, free_port, request_line, respond, wait_for_port,
};
use crate::support::{flask_harden, repo_root, venv};

/// A Flask app that serves its own folder as static files (a real mistake:
/// `static_folder="."`), with a `.env` and git metadata in that folder.
const SELF_SERVING_APP: &str = r#"from flask import Flask

app = Flask(__name__, static_folder=".", static_url_path="")


@app.get("/")
def index():
    return "<!doctype html><title>Shop</title><h1>Shop</h1>"
"#;

fn scan(args: &[&str]) -> Output {
    flask_harden().arg("scan").args(args).output().unwrap()
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "scan failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn finding<'a>(report: &'a Value, id: &str) -> Option<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
}

fn start_self_serving_app(dir: &Path) -> (ServerProcess, u16) {
    std::fs::write(dir.join("shop.py"), SELF_SERVING_APP).unwrap();
    std::fs::write(
        dir.join(".env"),
        "# production settings\nSECRET_KEY=2f1c9a7e5b3d4c6a8e0f1b2d3c4e5f60\nDATABASE_URL=postgresql://shop:hunter2@db/shop\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(
        dir.join(".git/config"),
        "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n",
    )
    .unwrap();
    let port = free_port();
    let log = dir.join("gunicorn.log");
    let server = ServerProcess::spawn(
        Command::new(venv().bin("gunicorn"))
            .args(["--workers", "1", "--bind"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("shop:app")
            .current_dir(dir),
        &log,
    );
    wait_for_port(port, Duration::from_secs(30), &log);
    (server, port)
}

#[test]
fn app_serving_its_own_folder_exposes_env_and_git_files() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, port) = start_self_serving_app(dir.path());
    let url = format!("http://127.0.0.1:{port}/");
    let report = json(&scan(&["--format", "json", &url]));

    let env = finding(&report, "exposed-env-file").unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(env["severity"], "high");
    assert_eq!(env["owasp"]["id"], "API8:2023");
    assert_eq!(env["owasp"]["name"], "Security Misconfiguration");
    assert!(
        env["message"].as_str().unwrap().starts_with("/.env"),
        "{env}"
    );
    // The secret itself is never printed.
    assert!(!report.to_string().contains("hunter2"));
    let git = finding(&report, "exposed-git-repository").unwrap_or_else(|| panic!("{report:#}"));
    assert!(
        git["message"]
            .as_str()
            .unwrap()
            .contains("/.git/HEAD and /.git/config"),
        "{git}"
    );
    // The app's Python source is served too (`/shop.py` is not probed, but
    // nothing else in the folder is a false alarm).
    for id in [
        "exposed-database-dump",
        "directory-listing",
        "admin-without-authentication",
    ] {
        assert!(finding(&report, id).is_none(), "{id}: {report:#}");
    }
    // Every failed test carries its category too.
    for test in report["tests"].as_array().unwrap() {
        assert_eq!(test["owasp"]["id"], "API8:2023", "{test}");
    }

    let text = scan(&["--no-color", &url]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("exposed-env-file"), "{text}");
    assert!(text.contains("[API8:2023]"), "{text}");
}

/// Answers 200 with the same page to every GET (a single-page app's fallback).
fn catch_all_app() -> MockServer {
    MockServer::start(|head, stream| {
        let (method, _path) = request_line(head);
        if method == "OPTIONS" {
            respond(stream, "200 OK", &[("Allow", "GET, HEAD, OPTIONS")], "");
            return;
        }
        respond(
            stream,
            "200 OK",
            &[("Content-Type", "text/html; charset=utf-8")],
            "<!doctype html><title>App</title><div id=root>SECRET_KEY=shown-for-every-path</div>",
        );
    })
}

#[test]
fn app_answering_every_path_with_one_page_has_no_exposure_findings() {
    let server = catch_all_app();
    let report = json(&scan(&["--format", "json", &server.url("/")]));
    for f in report["findings"].as_array().unwrap() {
        let id = f["id"].as_str().unwrap();
        assert!(
            !id.starts_with("exposed-")
                && !matches!(
                    id,
                    "directory-listing"
                        | "debug-toolbar"
                        | "admin-without-authentication"
                        | "debug-dashboard"
                        | "public-api-docs"
                ),
            "false alarm {id}: {report:#}"
        );
        assert!(f["owasp"]["id"].as_str().unwrap().starts_with("API"), "{f}");
    }
}

/// A Flask-Admin index open to anyone, a public contract and a listing.
fn open_admin_app() -> MockServer {
    MockServer::start(|head, stream| {
        let (_method, path) = request_line(head);
        match path {
            "/admin/" => respond(
                stream,
                "200 OK",
                &[("Content-Type", "text/html; charset=utf-8")],
                r#"<!doctype html><link href="/admin/static/bootstrap/bootstrap4/css/bootstrap.min.css" rel="stylesheet"><h1>Home - Admin</h1>"#,
            ),
            "/openapi.json" => respond(
                stream,
                "200 OK",
                &[("Content-Type", "application/json")],
                r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
            ),
            "/uploads/" => respond(
                stream,
                "200 OK",
                &[("Content-Type", "text/html")],
                "<html><head><title>Index of /uploads/</title></head><body><a href=\"a.pdf\">a.pdf</a></body></html>",
            ),
            "/" => respond(
                stream,
                "200 OK",
                &[("Content-Type", "text/html")],
                "<!doctype html><p>home</p>",
            ),
            _ => respond(
                stream,
                "404 NOT FOUND",
                &[("Content-Type", "text/html")],
                "<h1>Not Found</h1>",
            ),
        }
    })
}

#[test]
fn open_admin_contract_and_listing_are_reported_with_owasp_and_valid_sarif() {
    let server = open_admin_app();
    let url = server.url("/");
    let report = json(&scan(&["--format", "json", &url]));
    let admin =
        finding(&report, "admin-without-authentication").unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(admin["owasp"]["id"], "API5:2023");
    assert_eq!(admin["fix"], "FH112");
    let docs = finding(&report, "public-api-docs").unwrap();
    assert_eq!(docs["severity"], "info");
    assert_eq!(docs["owasp"]["id"], "API9:2023");
    assert!(
        finding(&report, "directory-listing").is_some(),
        "{report:#}"
    );

    let out = scan(&["--format", "sarif", &url]);
    assert!(out.status.success());
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let admin = results
        .iter()
        .find(|r| r["ruleId"] == "admin-without-authentication")
        .unwrap();
    assert_eq!(admin["level"], "error");
    assert_eq!(admin["properties"]["owasp"]["id"], "API5:2023");
    // Failed Observatory tests are results too (this app sends no headers).
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "content-security-policy")
    );

    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("scan.sarif");
    std::fs::write(&log_path, &out.stdout).unwrap();
    let schema = repo_root().join("../shared/schemas/sarif-schema-2.1.0.json");
    assert!(schema.is_file(), "{} missing", schema.display());
    let script = "import json, sys, jsonschema\n\
schema = json.load(open(sys.argv[1]))\n\
log = json.load(open(sys.argv[2]))\n\
errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)\n\
for e in errors: print(list(e.absolute_path), e.message)\n\
sys.exit(1 if errors else 0)\n";
    let check = venv()
        .python()
        .arg("-c")
        .arg(script)
        .arg(&schema)
        .arg(&log_path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "SARIF does not validate:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}

/// A small API with its contract at /openapi.json: a public health check, a
/// guarded user list and an admin report whose guard `ADMIN_GUARD=0` removes.
const CONTRACT_APP: &str = r#"import os
from functools import wraps

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
TOKEN = "Bearer user-token"

CONTRACT = {
    "openapi": "3.1.0",
    "info": {"title": "Shop API", "version": "1.0.0"},
    "servers": [{"url": "https://shop.example.com/api"}],
    "security": [{"bearer": []}],
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "paths": {
        "/health": {"get": {"security": [], "responses": {"200": {"description": "ok"}}}},
        "/users/{user_id}": {
            "get": {
                "parameters": [{"name": "user_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "a user"}},
            },
            "delete": {"responses": {"204": {"description": "deleted"}}},
        },
        "/admin/stats": {"get": {"tags": ["admin"], "responses": {"200": {"description": "stats"}}}},
    },
}


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if request.headers.get("Authorization") != TOKEN:
            abort(401)
        return view(*args, **kwargs)

    return wrapped


def admin_guard(view):
    if os.environ.get("ADMIN_GUARD", "1") == "0":
        return view
    return login_required(view)


@app.get("/openapi.json")
def openapi():
    return jsonify(CONTRACT)


@app.get("/")
def index():
    return jsonify(name="shop")


@app.get("/api/health")
def health():
    return jsonify(status="ok")


@app.get("/api/users/<int:user_id>")
@login_required
def user(user_id):
    return jsonify(id=user_id)


@app.delete("/api/users/<int:user_id>")
@login_required
def delete_user(user_id):
    return "", 204


@app.get("/api/admin/stats")
@admin_guard
def admin_stats():
    return jsonify(users=3)
"#;

fn start_contract_app(dir: &Path, admin_guard: &str) -> (ServerProcess, u16) {
    std::fs::write(dir.join("shop_api.py"), CONTRACT_APP).unwrap();
    let port = free_port();
    let log = dir.join(format!("gunicorn-{admin_guard}.log"));
    let server = ServerProcess::spawn(
        Command::new(venv().bin("gunicorn"))
            .args(["--workers", "1", "--bind"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("shop_api:app")
            .env("ADMIN_GUARD", admin_guard)
            .current_dir(dir),
        &log,
    );
    wait_for_port(port, Duration::from_secs(30), &log);
    (server, port)
}

#[test]
fn contract_discovered_checked_and_a_removed_guard_reported() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("contract.json");
    {
        let (_server, port) = start_contract_app(dir.path(), "1");
        let url = format!("http://127.0.0.1:{port}/");
        // Discovered at /openapi.json: every secured read refuses anonymous requests.
        let report = json(&scan(&["--format", "json", &url]));
        let surface = &report["surface"];
        assert_eq!(surface["operations"], 3, "{report:#}");
        assert_eq!(surface["secured"], 2, "{report:#}");
        assert_eq!(surface["public"], serde_json::json!(["GET /api/health"]));
        for id in ["unauthenticated-operation", "admin-operation-exposed"] {
            assert!(finding(&report, id).is_none(), "{id}: {report:#}");
        }
        assert_eq!(
            finding(&report, "public-api-docs").unwrap()["severity"],
            "info"
        );
        // Save the contract as a client would, for the next release.
        let contract = std::process::Command::new(venv().bin("python"))
            .args(["-c", "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())"])
            .arg(format!("{url}openapi.json"))
            .output()
            .unwrap();
        assert!(contract.status.success());
        std::fs::write(&saved, &contract.stdout).unwrap();

        // A contract URL on another origin is refused before anything is sent there.
        let out = scan(&["--openapi", "http://127.0.0.2:9/openapi.json", &url]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("not on the scanned origin"));
    }
    // The next release loses the admin guard; scanned against the saved contract.
    let (_server, port) = start_contract_app(dir.path(), "0");
    let url = format!("http://127.0.0.1:{port}/");
    let report = json(&scan(&[
        "--format",
        "json",
        "--openapi",
        saved.to_str().unwrap(),
        &url,
    ]));
    let exposed =
        finding(&report, "admin-operation-exposed").unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(exposed["owasp"]["id"], "API5:2023");
    assert_eq!(exposed["severity"], "high");
    assert!(
        exposed["message"]
            .as_str()
            .unwrap()
            .starts_with("GET /api/admin/stats"),
        "{exposed}"
    );
    assert!(
        finding(&report, "unauthenticated-operation").is_none(),
        "{report:#}"
    );
    let text = scan(&["--no-color", "--openapi", saved.to_str().unwrap(), &url]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("public operations (the unauthenticated surface):"),
        "{text}"
    );
    assert!(text.contains("GET /api/health"), "{text}");
}
