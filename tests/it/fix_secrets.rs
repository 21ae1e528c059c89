//! FH102's fix on real code, run as its users would (issue 16): importing a
//! module never fails, production refuses to start without the key, the
//! project's own tests pass on a fresh checkout without exporting anything,
//! later configuration sources still win, and test configuration is left alone.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{flask_harden, venv};

const CONFIG: &str = r#"import os


class Config:
    SECRET_KEY = "s3cr3t-pr0d-k3y"  # TODO: change me
    MAX_CONTENT_LENGTH = 1024 * 1024


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only-key"
"#;

const APP: &str = r#"import os

from flask import Flask, session

import config


def create_app(name=None):
    app = Flask(__name__)
    app.config.from_object(getattr(config, name or os.environ.get("APP_CONFIG", "Config")))

    @app.get("/visit")
    def visit():
        session["n"] = session.get("n", 0) + 1
        return {"n": session["n"]}

    return app
"#;

const TESTS: &str = r#"from app import create_app


def test_sessions_work():
    client = create_app("TestingConfig").test_client()
    assert client.get("/visit").get_json() == {"n": 1}
    assert client.get("/visit").get_json() == {"n": 2}
"#;

fn python(dir: &Path, code: &str, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(venv().bin("python"));
    cmd.args(["-c", code])
        .current_dir(dir)
        .env_remove("SECRET_KEY");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// The virtualenv's python with `args` in `root`, SECRET_KEY unset.
fn python_args(root: &Path, args: &[&str]) -> Output {
    Command::new(venv().bin("python"))
        .args(args)
        .current_dir(root)
        .env_remove("SECRET_KEY")
        .output()
        .unwrap()
}

/// `fix --yes --select FH102` on `root`, which must succeed.
fn fix_secrets(root: &Path) {
    let out = flask_harden()
        .args(["fix", "--yes", "--select", "FH102"])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn secret_key_fix_keeps_imports_tests_and_overrides_working_and_refuses_production() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("config.py"), CONFIG).unwrap();
    std::fs::write(root.join("app.py"), APP).unwrap();
    std::fs::create_dir_all(root.join("tests")).unwrap();
    std::fs::write(root.join("tests/test_app.py"), TESTS).unwrap();

    fix_secrets(root);
    let config = std::fs::read_to_string(root.join("config.py")).unwrap();
    assert!(
        config.contains(r#"SECRET_KEY = os.environ.get("SECRET_KEY")"#),
        "{config}"
    );
    assert!(
        !config.contains("TODO: change me"),
        "stale comment kept:\n{config}"
    );
    assert!(
        config.contains(r#"SECRET_KEY = "testing-only-key""#),
        "test config changed:\n{config}"
    );
    let app = std::fs::read_to_string(root.join("app.py")).unwrap();
    assert_eq!(
        app.matches("if not app.config.get(\"SECRET_KEY\"):")
            .count(),
        1,
        "{app}"
    );
    // A second run has nothing left to do and adds no second check.
    let again = flask_harden()
        .args(["check", "--select", "FH102"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );

    // Importing never fails, even in production without the key.
    let out = python(root, "import config, app", &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Production refuses to start, with a clear message.
    let out = python(root, "from app import create_app; create_app()", &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("RuntimeError: SECRET_KEY is not set"), "{err}");
    // With the key it starts and uses it.
    let out = python(
        root,
        "from app import create_app; print(create_app().config['SECRET_KEY'])",
        &[("SECRET_KEY", "from-the-environment")],
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "from-the-environment"
    );
    // The project's own tests pass on a fresh checkout, nothing exported.
    let out = python_args(root, &["-m", "pytest", "-q", "-p", "no:cacheprovider"]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A module-level app whose unittest suite imports it and sets TESTING only
/// afterwards (greyli/sayhello's layout): the suite keeps passing on a fresh
/// checkout, and production still refuses to start without the key.
#[test]
fn module_level_app_keeps_its_unittest_suite_green() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("hello")).unwrap();
    std::fs::write(
        root.join("hello/__init__.py"),
        "from flask import Flask, session\n\napp = Flask('hello')\napp.config.from_pyfile('settings.py')\n\n\n@app.get('/')\ndef index():\n    session['n'] = session.get('n', 0) + 1\n    return str(session['n'])\n",
    )
    .unwrap();
    std::fs::write(
        root.join("hello/settings.py"),
        "import os\n\nSECRET_KEY = os.getenv('SECRET_KEY', 'secret string')\n",
    )
    .unwrap();
    std::fs::write(
        root.join("test_hello.py"),
        "import unittest\n\nfrom hello import app\n\n\nclass HelloTestCase(unittest.TestCase):\n    def setUp(self):\n        app.config.update(TESTING=True)\n        self.client = app.test_client()\n\n    def test_session(self):\n        self.assertEqual(self.client.get('/').get_data(as_text=True), '1')\n        self.assertEqual(self.client.get('/').get_data(as_text=True), '2')\n\n\nif __name__ == '__main__':\n    unittest.main()\n",
    )
    .unwrap();
    fix_secrets(root);
    for args in [
        &["-m", "unittest", "test_hello"][..],
        &["test_hello.py"][..],
    ] {
        let out = python_args(root, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = python(root, "import hello", &[]);
    assert!(!out.status.success(), "production imports without a key");
    assert!(String::from_utf8_lossy(&out.stderr).contains("SECRET_KEY is not set"));
}
