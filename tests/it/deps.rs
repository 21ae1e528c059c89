//! Dependency files end to end: `flask-harden check` on a project with
//! vulnerable pins and a production debug toolbar (JSON contract, suppressions,
//! selection), and the byte-exact remediations of `crate::deps` applied to the
//! files on disk until nothing is reported any more.

use std::fs;
use std::path::Path;

use flask_harden::analysis::codes::Rule;
use flask_harden::analysis::discovery::discover;
use flask_harden::analysis::engine::check_files;
use flask_harden::analysis::settings::CheckSettings;
use flask_harden::deps;
use serde_json::Value;
use tempfile::TempDir;

use crate::support::{flask_harden, repo_root, target_dir, venv};

const REQUIREMENTS: &str = "# production\r\nFlask==2.2.2  # web\r\nflask-debugtoolbar==0.16.0\r\nwerkzeug>=2.2,<4 ; python_version >= \"3.9\"\r\nsix==1.10.0\r\ngunicorn==20.1.0  # noqa: FH601\r\n";

const PYPROJECT: &str = "[project]\nname = \"api\"\nversion = \"1.0\"\ndependencies = [\n    \"jinja2~=3.1.2\",  # templates\n    \"Flask-DebugToolbar\",\n]\n\n[tool.poetry.group.deploy.dependencies]\npyjwt = { version = \"^2.3.0\", extras = [\"crypto\"] }\n\n[tool.ruff]\nline-length = 100\n";

fn project() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("requirements.txt"), REQUIREMENTS).unwrap();
    fs::write(dir.path().join("pyproject.toml"), PYPROJECT).unwrap();
    fs::create_dir(dir.path().join("requirements")).unwrap();
    fs::write(
        dir.path().join("requirements/test.txt"),
        "flask-debugtoolbar\npytest==8.3.0\nflask-cors==4.0.0\n",
    )
    .unwrap();
    dir
}

fn check_json(dir: &Path, args: &[&str]) -> (Vec<Value>, Option<i32>) {
    let out = flask_harden()
        .args(["check", "--format", "json"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let value: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (value.as_array().unwrap().clone(), out.status.code())
}

fn summary(items: &[Value]) -> Vec<String> {
    let mut lines: Vec<String> = items
        .iter()
        .map(|i| {
            format!(
                "{}:{}:{}-{}:{} {} fix={}",
                i["path"].as_str().unwrap(),
                i["line"],
                i["column"],
                i["end_line"],
                i["end_column"],
                i["code"].as_str().unwrap(),
                i["fix"]["applicability"].as_str().unwrap_or("none"),
            )
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn check_reports_vulnerable_pins_and_the_production_toolbar() {
    let dir = project();
    let (items, code) = check_json(dir.path(), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        summary(&items),
        [
            "pyproject.toml:10:1-10:52 FH601 fix=safe",
            "pyproject.toml:5:5-5:20 FH601 fix=safe",
            "pyproject.toml:6:5-6:25 FH107 fix=safe",
            // Flask 2 -> 3 crosses a major version: unsafe. Werkzeug 3 alone
            // would break the pinned Flask 2.2.2: withheld, with the reason.
            "requirements.txt:2:1-2:13 FH601 fix=unsafe",
            "requirements.txt:3:1-3:27 FH107 fix=safe",
            "requirements.txt:4:1-4:43 FH601 fix=none",
            // flask-cors 4 -> 6: any major crossing is unsafe.
            "requirements/test.txt:3:1-3:18 FH601 fix=unsafe",
        ]
    );
    let flask = items
        .iter()
        .find(|i| i["path"] == "requirements.txt" && i["line"] == 2)
        .unwrap();
    assert_eq!(flask["name"], "vulnerable-dependency");
    assert_eq!(flask["severity"], "high");
    assert_eq!(flask["cwe"], "CWE-1395");
    assert_eq!(flask["owasp"], "A06:2021");
    let message = flask["message"].as_str().unwrap();
    assert!(
        message.contains("CVE-2023-30861, CVE-2026-27205"),
        "{message}"
    );
    assert!(message.ends_with("raise it to 3.1.3"), "{message}");

    let (selected, code) = check_json(dir.path(), &["--select", "FH107"]);
    assert_eq!(code, Some(1));
    assert_eq!(selected.len(), 2);
    let (none, code) = check_json(dir.path(), &["--ignore", "FH6,FH107"]);
    assert_eq!((none.len(), code), (0, Some(0)));
}

#[test]
fn rule_documentation_is_printed() {
    for code in ["FH601", "FH107"] {
        let out = flask_harden().args(["rule", code]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("## Fix safety"), "{text}");
    }
}

/// Applies every available fix until `check` reports nothing fixable, the way
/// `fix` converges: edits from the diagnostics, and the development file of a
/// requirements-file FH107 through `deps::move_debug_toolbar_to_development`.
fn fix_until_clean(root: &Path) -> usize {
    let settings = CheckSettings::default();
    for pass in 1..=20 {
        let files = discover(&[root.to_path_buf()], &settings).unwrap().files;
        let report = check_files(&files, &settings).unwrap();
        let mut changed = false;
        for (file, diagnostic) in report.diagnostics() {
            let path = file.source.path().to_path_buf();
            let text = file.source.text().to_string();
            let Some(fix) = &diagnostic.fix else { continue };
            if diagnostic.rule == Rule::DebugToolbarExposed && fix.edits.is_empty() {
                let dev = deps::requirements_txt::development_file_for(&path);
                let dev_text = fs::read_to_string(&dev).ok();
                for change in
                    deps::move_debug_toolbar_to_development(&path, &text, dev_text.as_deref())
                {
                    fs::write(&change.path, change.new_text).unwrap();
                }
            } else {
                fs::write(&path, fix.apply(&text).unwrap()).unwrap();
            }
            changed = true;
            // One fix per pass: the other diagnostics' ranges are now stale.
            break;
        }
        if !changed {
            return pass;
        }
    }
    panic!("fixes did not converge");
}

#[test]
fn fixes_converge_byte_exact() {
    let dir = project();
    let passes = fix_until_clean(dir.path());
    assert!(passes > 1);
    let read = |p: &str| fs::read_to_string(dir.path().join(p)).unwrap();
    assert_eq!(
        read("requirements.txt"),
        "# production\r\nFlask==3.1.3  # web\r\nwerkzeug>=3.1.9,<4 ; python_version >= \"3.9\"\r\nsix==1.10.0\r\ngunicorn==20.1.0  # noqa: FH601\r\n"
    );
    assert_eq!(
        read("requirements-dev.txt"),
        "-r requirements.txt\r\nflask-debugtoolbar==0.16.0\r\n"
    );
    assert_eq!(
        read("pyproject.toml"),
        "[project]\nname = \"api\"\nversion = \"1.0\"\ndependencies = [\n    \"jinja2~=3.1.6\",  # templates\n]\n\n[tool.poetry.group.deploy.dependencies]\npyjwt = { version = \"^2.15.0\", extras = [\"crypto\"] }\n\n[tool.ruff]\nline-length = 100\n\n[dependency-groups]\ndev = [\"Flask-DebugToolbar\"]\n"
    );
    assert_eq!(
        read("requirements/test.txt"),
        "flask-debugtoolbar\npytest==8.3.0\nflask-cors==6.0.0\n"
    );
    let (items, code) = check_json(dir.path(), &[]);
    assert_eq!((items.len(), code), (0, Some(0)), "{items:?}");
}

#[test]
fn hardening_dependencies_are_added_once() {
    let dir = project();
    let path = dir.path().join("pyproject.toml");
    let mut text = fs::read_to_string(&path).unwrap();
    for requirement in deps::HARDENING_DEPENDENCIES {
        text = deps::add_dependency(&path, &text, &requirement.requirement())
            .unwrap()
            .unwrap();
    }
    assert!(text.contains(
        "    \"Flask-DebugToolbar\",\n    \"flask-talisman>=1.1.0\",\n    \"Flask-Limiter>=4.1.1\",\n    \"pydantic>=2.14.4\",\n]\n"
    ));
    for requirement in deps::HARDENING_DEPENDENCIES {
        assert_eq!(
            deps::add_dependency(&path, &text, &requirement.requirement()).unwrap(),
            None
        );
    }
}

#[test]
fn advisory_table_matches_its_documentation() {
    // The table file ships in the source tree with its date and a source per entry.
    let toml = fs::read_to_string(repo_root().join("src/deps/advisories.toml")).unwrap();
    let table = deps::advisory::parse_table(&toml).unwrap();
    assert_eq!(table.date, deps::advisory::table().date);
    assert_eq!(
        table.advisories.len(),
        deps::advisory::table().advisories.len()
    );
    assert_eq!(
        toml.matches("\nsource = \"https://").count(),
        table.advisories.len()
    );
}

/// The remediation blocks `fix --dry-run` prints, one per header line.
fn remediation_blocks(stdout: &str) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    for line in stdout.lines() {
        if line.starts_with("FH") {
            blocks.push(String::new());
        }
        if let Some(block) = blocks.last_mut() {
            block.push_str(line);
            block.push('\n');
        }
    }
    blocks
}

#[test]
fn fix_dry_run_raises_the_pins_a_raised_release_needs() {
    let dir = tempfile::tempdir().unwrap();
    let text = "flask==2.0.1\r\nWerkzeug==2.0.3  # core\r\nitsdangerous==2.0.1\r\nsix==1.10.0\r\n";
    fs::write(dir.path().join("requirements.txt"), text).unwrap();
    // Flask 2 -> 3 crosses a major version: an unsafe fix.
    let out = flask_harden()
        .args(["fix", "--dry-run", "--unsafe-fixes", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let blocks = remediation_blocks(&stdout);
    let flask = blocks
        .iter()
        .find(|b| b.contains("requirements.txt:1\n"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        flask.contains(
            "change: Raise flask to 3.1.3; raise Werkzeug to 3.1.9 to satisfy flask 3.1.3, which requires Werkzeug>=3.1.0; raise itsdangerous to 2.2.0 to satisfy flask 3.1.3, which requires itsdangerous>=2.2.0"
        ),
        "{flask}"
    );
    for line in [
        "-flask==2.0.1",
        "-Werkzeug==2.0.3  # core",
        "-itsdangerous==2.0.1",
        "+flask==3.1.3",
        "+Werkzeug==3.1.9  # core",
        "+itsdangerous==2.2.0",
        " six==1.10.0",
    ] {
        assert!(flask.contains(&format!("{line}\n")), "{line}: {flask}");
    }
    // A dry run writes nothing; applying keeps comments and CRLF.
    let path = dir.path().join("requirements.txt");
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
    // Without --unsafe-fixes the major raise is left to a person.
    let out = flask_harden()
        .args(["fix", "--yes", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
    let out = flask_harden()
        .args(["fix", "--yes", "--unsafe-fixes", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "flask==3.1.3\r\nWerkzeug==3.1.9  # core\r\nitsdangerous==2.2.0\r\nsix==1.10.0\r\n"
    );
}

#[test]
fn fix_leaves_an_unresolvable_conflict_to_a_person() {
    let dir = tempfile::tempdir().unwrap();
    let text = "flask==2.0.1\r\nWerkzeug<3.0  # old API\r\n";
    let path = dir.path().join("requirements.txt");
    fs::write(&path, text).unwrap();
    // Nothing to change (--dry-run: 0), but the finding remains (--yes: 1).
    for (args, code) in [(["fix", "--dry-run", "."], 0), (["fix", "--yes", "."], 1)] {
        let out = flask_harden()
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stdout}");
        assert!(stdout.contains("Left for a person (1):"), "{stdout}");
        assert!(
            stdout.contains(
                "requirements.txt:1: FH601 vulnerable-dependency (report only): `flask==2.0.1` allows flask 2.0.1"
            ),
            "{stdout}"
        );
        assert!(
            stdout.contains(
                "raising flask to 3.1.3 needs Werkzeug>=3.1.0 but requirements.txt pins Werkzeug<3.0; raise both"
            ),
            "{stdout}"
        );
        assert_eq!(fs::read(&path).unwrap(), text.as_bytes(), "{args:?}");
    }
}

/// `pip install --dry-run` of a requirements file with the test virtualenv's
/// pip (downloads cached under target/): its exit status, and the report.
fn pip_resolve(file: &Path) -> (bool, String) {
    let venv = venv();
    let out = venv
        .python()
        .args([
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--disable-pip-version-check",
            "--report",
            "-",
            "-r",
        ])
        .arg(file)
        .env("PIP_CACHE_DIR", target_dir().join("e2e/pip-cache"))
        .output()
        .unwrap();
    let text = if out.status.success() {
        String::from_utf8_lossy(&out.stdout).into_owned()
    } else {
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    (out.status.success(), text)
}

#[test]
fn fixed_requirements_resolve_with_pip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("requirements.txt");
    let text = "# an application pinned in 2021\nFlask==2.0.1\nWerkzeug==2.0.3\nJinja2==3.0.1\nitsdangerous==2.0.1\nclick==8.0.1\nMarkupSafe==2.0.1\nflask-cors==3.0.10\ngunicorn==20.1.0\nPyJWT==2.3.0\n";
    // Raising Flask alone, as the fix did before it knew Flask's requirements,
    // gives a file pip refuses.
    fs::write(&path, text.replace("Flask==2.0.1", "Flask==3.1.3")).unwrap();
    let (ok, stderr) = pip_resolve(&path);
    assert!(!ok && stderr.contains("ResolutionImpossible"), "{stderr}");

    fs::write(&path, text).unwrap();
    let out = flask_harden()
        .args(["fix", "--yes", "--unsafe-fixes", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "# an application pinned in 2021\nFlask==3.1.3\nWerkzeug==3.1.9\nJinja2==3.1.6\nitsdangerous==2.2.0\nclick==8.1.3\nMarkupSafe==2.1.1\nflask-cors==6.0.0\ngunicorn==23.0.0\nPyJWT==2.15.0\n"
    );
    let (ok, report) = pip_resolve(&path);
    assert!(ok, "{report}");
    let report: Value = serde_json::from_str(&report).unwrap();
    let mut installed: Vec<String> = report["install"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{}=={}",
                i["metadata"]["name"].as_str().unwrap().to_lowercase(),
                i["metadata"]["version"].as_str().unwrap()
            )
        })
        .collect();
    installed.sort();
    for pin in [
        "click==8.1.3",
        "flask-cors==6.0.0",
        "flask==3.1.3",
        "gunicorn==23.0.0",
        "itsdangerous==2.2.0",
        "jinja2==3.1.6",
        "markupsafe==2.1.1",
        "pyjwt==2.15.0",
        "werkzeug==3.1.9",
    ] {
        assert!(installed.contains(&pin.to_string()), "{pin}: {installed:?}");
    }
}

#[test]
fn embedded_requirements_match_an_installed_release() {
    // Flask 3.1.3 is installed in the test virtualenv: its metadata there and
    // the embedded table agree.
    let out = venv()
        .python()
        .args([
            "-c",
            "import importlib.metadata as m; print(m.version('flask')); print('\\n'.join(m.requires('flask')))",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut lines = stdout.lines();
    let version = lines.next().unwrap();
    assert_eq!(
        version, "3.1.3",
        "tests/python-requirements.txt pins Flask 3.1.3"
    );
    let installed: Vec<&str> = lines.collect();
    let toml = fs::read_to_string(repo_root().join("src/deps/fixed_requirements.toml")).unwrap();
    let table = deps::metadata::parse_releases(&toml).unwrap();
    let release = table
        .find("flask", &version.parse().unwrap())
        .expect("Flask 3.1.3 is a fixed version");
    let embedded: Vec<String> = toml
        .split("[[release]]")
        .find(|block| {
            block.contains("package = \"flask\"") && block.contains("version = \"3.1.3\"")
        })
        .unwrap()
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix('"')?
                .strip_suffix("\",")
                .map(|s| s.replace("\\\"", "\""))
        })
        .collect();
    assert_eq!(embedded, installed);
    assert_eq!(release.requires.len(), installed.len());
}

/// `fix --yes` of FH202 and FH203 only (their FH602 follow-ups included).
fn fix_headers_and_limits(root: &Path) -> std::process::Output {
    flask_harden()
        .args(["fix", "--yes", "--select", "FH202,FH203", "."])
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// FH602 edits the files the installs read: the Dockerfile's
/// requirements/prod.txt (which the test requirements include), and the root
/// requirements.txt a Procfile platform installs; never a file nothing
/// installs. A pin the added release cannot live with withholds it, named.
#[test]
fn hardening_dependencies_go_where_the_installs_read_and_stay_installable() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("app.py"),
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get(\"/\")\ndef index():\n    return \"ok\"\n",
    )
    .unwrap();
    fs::create_dir(root.join("requirements")).unwrap();
    fs::write(root.join("requirements/prod.txt"), "Flask==3.1.3\n").unwrap();
    fs::write(
        root.join("requirements-dev.txt"),
        "-r requirements/prod.txt\npytest==9.2.0\n",
    )
    .unwrap();
    fs::write(root.join("requirements-old.txt"), "Flask==3.1.3\n").unwrap();
    fs::write(
        root.join("tox.ini"),
        "[testenv]\ndeps = -r{toxinidir}/requirements-dev.txt\ncommands = pytest\n",
    )
    .unwrap();
    fs::write(
        root.join("Dockerfile"),
        "FROM python:3.12-slim\nCOPY requirements/prod.txt /srv/prod.txt\nRUN pip install --no-cache-dir -r /srv/prod.txt\n",
    )
    .unwrap();
    let out = fix_headers_and_limits(root);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let prod = fs::read_to_string(root.join("requirements/prod.txt")).unwrap();
    assert!(
        prod.contains("flask-talisman>=1.1.0") && prod.contains("Flask-Limiter>=4.1.1"),
        "{prod}\n{stdout}"
    );
    assert_eq!(
        fs::read_to_string(root.join("requirements-dev.txt")).unwrap(),
        "-r requirements/prod.txt\npytest==9.2.0\n",
        "the test install gets them through its -r"
    );
    assert_eq!(
        fs::read_to_string(root.join("requirements-old.txt")).unwrap(),
        "Flask==3.1.3\n",
        "nothing installs this file"
    );
    let (ok, report) = pip_resolve(&root.join("requirements-dev.txt"));
    assert!(ok, "{report}");

    // A pin Flask-Limiter 4.1.1 cannot be installed with: neither the
    // package nor the Limiter code that imports it is added (the app would
    // fail at import), and the reason is said.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("app.py"),
        "from flask import Flask\n\napp = Flask(__name__)\n",
    )
    .unwrap();
    fs::write(root.join("Procfile"), "web: gunicorn app:app\n").unwrap();
    fs::write(
        root.join("requirements.txt"),
        "Flask==3.1.3\ntyping_extensions==4.2.0\n",
    )
    .unwrap();
    let out = fix_headers_and_limits(root);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let requirements = fs::read_to_string(root.join("requirements.txt")).unwrap();
    assert!(
        requirements.contains("flask-talisman>=1.1.0"),
        "{requirements}"
    );
    assert!(!requirements.contains("Flask-Limiter"), "{requirements}");
    let app = fs::read_to_string(root.join("app.py")).unwrap();
    assert!(app.contains("Talisman("), "{app}");
    assert!(!app.contains("flask_limiter"), "{app}");
    assert!(
        all.contains("FH203 missing-rate-limiting (fix withheld)")
            && all.contains("Flask-Limiter>=4.1.1 cannot be added to requirements.txt")
            && all.contains("typing_extensions==4.2.0"),
        "{all}"
    );
}
