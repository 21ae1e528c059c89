//! `flask-harden check` and `flask-harden rule` end to end: exit codes, the JSON
//! contract, file discovery, encodings, syntax errors and deep nesting.

use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;
use tempfile::TempDir;

use crate::support::flask_harden;

fn project(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, contents) in files {
        let full = dir.path().join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, contents).unwrap();
    }
    dir
}

fn check(dir: &Path, args: &[&str]) -> Output {
    flask_harden()
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

/// Runs `check --format json --select FH101` (plus `args`) and parses the array.
fn json(dir: &Path, args: &[&str]) -> (Vec<Value>, Output) {
    json_all(dir, &[&["--select", "FH101"], args].concat())
}

/// Runs `check --format json` (plus `args`) and parses the array.
fn json_all(dir: &Path, args: &[&str]) -> (Vec<Value>, Output) {
    let out = check(dir, &[&["--format", "json"], args].concat());
    let value: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (value.as_array().unwrap().clone(), out)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const DEBUG_APP: &[u8] = b"from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n";

#[test]
fn exit_codes() {
    let dir = project(&[("app.py", DEBUG_APP), ("clean.py", b"x = 1\n")]);
    assert_eq!(check(dir.path(), &[]).status.code(), Some(1));
    assert_eq!(check(dir.path(), &["--exit-zero"]).status.code(), Some(0));
    assert_eq!(check(dir.path(), &["clean.py"]).status.code(), Some(0));
    assert_eq!(
        check(dir.path(), &["--ignore", "FH1,FH2"]).status.code(),
        Some(0)
    );
    assert_eq!(
        check(dir.path(), &["--select", "FH101"]).status.code(),
        Some(1)
    );
    let unknown = check(dir.path(), &["--select", "FH999"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("FH999"), "{}", stderr(&unknown));
    let missing = check(dir.path(), &["nope.py"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("nope.py"));
    assert_eq!(
        check(dir.path(), &["--format", "xml"]).status.code(),
        Some(2)
    );
}

#[test]
fn json_contract() {
    let dir = project(&[(
        "pkg/app.py",
        "from flask import Flask\napp = Flask(__name__)\nx = 'é😀'; app.run(debug=True)\n"
            .as_bytes(),
    )]);
    let (items, out) = json(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(items.len(), 1, "{items:?}");
    let item = &items[0];
    assert_eq!(item["code"], "FH101");
    assert_eq!(item["name"], "debug-mode-enabled");
    assert_eq!(item["severity"], "high");
    assert_eq!(item["path"], "pkg/app.py");
    assert_eq!(item["line"], 3);
    // Columns count characters: `x = 'é😀'; app.run(` is 18 characters.
    assert_eq!(item["column"], 19);
    assert_eq!(item["end_line"], 3);
    assert_eq!(item["end_column"], 29);
    assert_eq!(item["fix"]["applicability"], "safe");
    assert!(
        item["fix"]["message"]
            .as_str()
            .unwrap()
            .contains("FLASK_DEBUG")
    );
    assert_eq!(item["cwe"], "CWE-489");
    assert_eq!(item["owasp"], "A05:2021");
    assert!(item["message"].as_str().unwrap().contains("debug=True"));
}

#[test]
fn text_format_shows_line_marker_and_summary_without_colour() {
    let dir = project(&[("app.py", DEBUG_APP)]);
    let out = check(dir.path(), &["--select", "FH101"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("app.py:3:9: FH101 [high] "), "{text}");
    assert!(
        text.contains("3 | app.run(debug=True)\n  |         ^^^^^^^^^^\n"),
        "{text}"
    );
    assert!(
        text.contains("Found 1 finding in 1 checked file: 1 high, 0 medium, 0 low"),
        "{text}"
    );
    assert!(text.contains("1  FH101  debug-mode-enabled"), "{text}");
    assert!(
        !text.contains('\x1b'),
        "no colours when stdout is not a terminal"
    );
}

#[test]
fn github_annotations() {
    let dir = project(&[("app.py", DEBUG_APP)]);
    let out = check(dir.path(), &["--format", "github", "--select", "FH101"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("::error file=app.py,line=3,col=9,endLine=3,endColumn=19,title=FH101 debug-mode-enabled::FH101 [high] "),
        "{text}"
    );
}

#[test]
fn bom_crlf_and_tabs_keep_positions() {
    let src = "\u{feff}from flask import Flask\r\napp = Flask(__name__)\r\nif True:\r\n\tapp.run(debug=True)\r\n";
    let dir = project(&[("app.py", src.as_bytes())]);
    let (items, _) = json(dir.path(), &[]);
    assert_eq!(items.len(), 1);
    assert_eq!(
        (items[0]["line"].as_u64(), items[0]["column"].as_u64()),
        (Some(4), Some(10))
    );
    assert_eq!(items[0]["end_column"], 20);
}

#[test]
fn encodings_and_syntax_errors() {
    let dir = project(&[
        (
            "a_latin1.py",
            b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\napp.run(debug=True)\n",
        ),
        ("b_invalid.py", b"name = '\xe9t\xe9'\napp.run(debug=True)\n"),
        (
            "c_broken.py",
            b"from flask import Flask\napp = Flask(__name__\napp.run(debug=True)\n",
        ),
        ("d_ok.py", DEBUG_APP),
    ]);
    let (items, out) = json(dir.path(), &[]);
    let paths: Vec<&str> = items.iter().map(|i| i["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["a_latin1.py", "d_ok.py"]);
    let err = stderr(&out);
    assert!(err.contains("b_invalid.py:1:9: not valid UTF-8"), "{err}");
    assert!(err.contains("c_broken.py:3:1: syntax error:"), "{err}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_named_file_that_cannot_be_analysed_is_an_error() {
    let dir = project(&[
        (
            "broken.py",
            b"from flask import Flask\napp = Flask(__name__\napp.run(debug=True)\n",
        ),
        ("latin.py", b"x = 1\nname = '\xe9t\xe9'\n"),
        ("app.py", DEBUG_APP),
    ]);
    for format in ["text", "json", "sarif", "github"] {
        let out = check(
            dir.path(),
            &["--format", format, "--exit-zero", "broken.py", "app.py"],
        );
        assert_eq!(out.status.code(), Some(2), "{format}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("error: broken.py:3:1: syntax error:")
                && err.contains("named on the command line"),
            "{format}: {err}"
        );
        assert!(!err.contains("warning: broken.py"), "{format}: {err}");
    }
    // The other named file is still reported.
    let (items, out) = json(dir.path(), &["broken.py", "app.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["path"], "app.py");

    let out = check(dir.path(), &["latin.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("error: latin.py:2:9: not valid UTF-8"),
        "{}",
        stderr(&out)
    );

    // Found by walking the folder, the same files are warnings and the exit
    // code is the findings' (1), or 0 with --exit-zero.
    let out = check(dir.path(), &["--statistics", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("warning: broken.py:3:1: syntax error:")
            && text.contains("warning: latin.py:2:9: not valid UTF-8")
            && text.contains("(file skipped)"),
        "{text}"
    );
    assert!(stderr(&out).contains("2 skipped"), "{}", stderr(&out));
    assert_eq!(
        check(dir.path(), &["--exit-zero", "."]).status.code(),
        Some(0)
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_tree_get_a_note_and_are_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = project(&[("shared.py", DEBUG_APP), ("lib/util.py", DEBUG_APP)]);
    let dir = project(&[("app.py", b"x = 1\n")]);
    symlink(
        outside.path().join("shared.py"),
        dir.path().join("shared.py"),
    )
    .unwrap();
    symlink(outside.path().join("lib"), dir.path().join("lib")).unwrap();
    symlink(dir.path().join("app.py"), dir.path().join("alias.py")).unwrap();
    for format in ["text", "json"] {
        let out = check(dir.path(), &["--format", format]);
        assert_eq!(out.status.code(), Some(0), "nothing outside is analysed");
        let err = stderr(&out);
        let notes: Vec<&str> = err.lines().filter(|l| l.starts_with("note: ")).collect();
        assert_eq!(notes.len(), 2, "{format}: {err}");
        assert!(
            notes[0].starts_with("note: lib is a symbolic link to ")
                && notes[1].starts_with("note: shared.py is a symbolic link to ")
                && notes
                    .iter()
                    .all(|n| n.ends_with(", outside the checked folder: not followed")),
            "{format}: {err}"
        );
        assert!(
            !err.contains("alias.py"),
            "a link inside the tree is silent: {err}"
        );
    }
    // Named on the command line, a link is checked: the user asked for it.
    assert_eq!(check(dir.path(), &["shared.py"]).status.code(), Some(1));
}

#[test]
fn statistics_account_for_every_file() {
    let dir = project(&[
        ("app.py", DEBUG_APP),
        ("broken.py", b"def f(:\n"),
        ("latin.py", b"name = '\xe9'\n"),
        ("requirements.txt", b"flask==3.1.3\n"),
        ("notes.txt", b"not an input\n"),
        ("noqa.py", b"x = 1  # flask-harden: ignore[FH10l]\n"),
    ]);
    let (_, out) = json(dir.path(), &["--statistics"]);
    let err = stderr(&out);
    assert!(
        err.ends_with("statistics: 3 files analysed (2 Python, 1 other), 2 skipped, 1 warning\n"),
        "{err}"
    );
    // Without the flag there is no statistics line.
    let (_, out) = json(dir.path(), &[]);
    assert!(!stderr(&out).contains("statistics:"), "{}", stderr(&out));
}

#[test]
fn deep_nesting_does_not_crash() {
    let depth = 5000;
    let src = format!(
        "x = {}1{}\napp.run(debug=True)\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let calls = format!("y = {}0{}\n", "f(".repeat(depth), ")".repeat(depth));
    let dir = project(&[("deep.py", src.as_bytes()), ("calls.py", calls.as_bytes())]);
    let (items, out) = json(dir.path(), &[]);
    assert_eq!(items.len(), 1, "{}", stderr(&out));
    assert_eq!(items[0]["path"], "deep.py");
}

#[test]
fn discovery_honours_gitignore_and_skips_environments() {
    let dir = project(&[
        (".gitignore", b"generated/\n"),
        ("generated/app.py", DEBUG_APP),
        ("venv/lib/app.py", DEBUG_APP),
        ("env2/pyvenv.cfg", b"home = /usr\n"),
        ("env2/lib/site.py", DEBUG_APP),
        ("node_modules/x/app.py", DEBUG_APP),
        ("build/lib/app.py", DEBUG_APP),
        ("src/__pycache__/app.py", DEBUG_APP),
        (".hidden/app.py", DEBUG_APP),
        ("src/app.py", DEBUG_APP),
        ("legacy/app.py", DEBUG_APP),
    ]);
    let (items, _) = json(dir.path(), &["--exclude", "legacy"]);
    let paths: Vec<&str> = items.iter().map(|i| i["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["src/app.py"]);
    // Explicit files are always checked.
    let (items, _) = json(dir.path(), &["generated/app.py", "--exclude", "generated"]);
    assert_eq!(items.len(), 1);
}

#[test]
fn suppressions_and_unknown_codes() {
    let dir = project(&[(
        "app.py",
        b"app.run(debug=True)  # noqa: FH101\napp.run(debug=True)  # flask-harden: ignore[FH10l]\napp.run(debug=True)  # noqa: E501\n",
    )]);
    let (items, out) = json(dir.path(), &[]);
    let lines: Vec<u64> = items.iter().map(|i| i["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [2, 3]);
    assert!(
        stderr(&out).contains("app.py:2: unknown rule code `FH10l`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn test_code_is_exempt_from_fh1xx() {
    let dir = project(&[
        ("tests/test_app.py", DEBUG_APP),
        ("conftest.py", DEBUG_APP),
        ("app_test.py", DEBUG_APP),
    ]);
    let (items, out) = json(dir.path(), &[]);
    assert!(items.is_empty(), "{items:?}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn rule_documentation() {
    let out = flask_harden().args(["rule", "FH101"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc = String::from_utf8(out.stdout).unwrap();
    for section in [
        "# FH101 debug-mode-enabled",
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "Use instead:",
        "## Fix safety",
        "## References",
        "CWE-489",
        "A05:2021",
    ] {
        assert!(doc.contains(section), "missing {section}:\n{doc}");
    }
    let all = flask_harden().args(["rule", "--all"]).output().unwrap();
    let table = String::from_utf8(all.stdout).unwrap();
    assert_eq!(
        table.lines().count(),
        1 + flask_harden::analysis::registry::RULES.len(),
        "{table}"
    );
    for code in ["FH109", "FH110", "FH111", "FH112", "FH502", "FH701"] {
        assert!(
            table.lines().any(|l| l.starts_with(code)),
            "{code}: {table}"
        );
    }
    let fh602 = table.lines().find(|l| l.starts_with("FH602")).unwrap();
    assert!(
        fh602.contains("missing-hardening-dependency") && fh602.contains("low"),
        "{fh602}"
    );
    let unknown = flask_harden().args(["rule", "FH999"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn pyproject_configuration_and_overrides() {
    let pyproject = br#"[project]
name = "demo"

[tool.flask-harden]
ignore = ["FH104", "FH2", "FH108"]
extend-exclude = ["legacy"]
test-paths = ["qa/*"]

[tool.flask-harden.per-file-ignores]
"scripts/*" = ["FH101"]
"#;
    let served =
        b"from flask import Flask\napp = Flask(__name__)\napp.run(host=\"0.0.0.0\", debug=True)\n";
    let dir = project(&[
        ("pyproject.toml", pyproject),
        ("src/app.py", served),
        ("scripts/run.py", served),
        ("qa/smoke.py", served),
        ("legacy/old.py", served),
    ]);
    let lines = |items: &[Value]| -> Vec<(String, String)> {
        items
            .iter()
            .map(|i| {
                (
                    i["path"].as_str().unwrap().to_owned(),
                    i["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    // From the project root: FH104 and FH2xx ignored, scripts/ without FH101,
    // qa/ counts as test code, legacy/ is excluded.
    let (items, _) = json_all(dir.path(), &[]);
    assert_eq!(
        lines(&items),
        [("src/app.py".to_owned(), "FH101".to_owned())]
    );
    // The configuration is found from a sub-folder too; paths stay relative to the cwd.
    let (items, _) = json_all(&dir.path().join("src"), &[]);
    assert_eq!(lines(&items), [("app.py".to_owned(), "FH101".to_owned())]);
    // --select overrides the configured ignore for the codes it names.
    let (items, _) = json_all(dir.path(), &["--select", "FH104"]);
    let expected = [
        ("scripts/run.py".to_owned(), "FH104".to_owned()),
        ("src/app.py".to_owned(), "FH104".to_owned()),
    ];
    assert_eq!(lines(&items), expected);
    // --exclude replaces the configured exclude... but extend-exclude still applies.
    let (items, _) = json_all(dir.path(), &["--exclude", "src", "--select", "FH101"]);
    assert!(items.is_empty(), "{items:?}");
}

#[test]
fn bad_configuration_is_a_clear_error() {
    for (table, expected) in [
        (
            "[tool.flask-harden]\nselct = [\"FH1\"]\n",
            "unknown key `selct`",
        ),
        (
            "[tool.flask-harden]\nignore = [\"FH999\"]\n",
            "unknown rule code `FH999`",
        ),
        (
            "[tool.flask-harden]\nselect = \"FH1\"\n",
            "must be a list of strings",
        ),
        ("[tool.flask-harden\n", "not valid TOML"),
    ] {
        let dir = project(&[("pyproject.toml", table.as_bytes()), ("app.py", DEBUG_APP)]);
        let out = check(dir.path(), &[]);
        assert_eq!(out.status.code(), Some(2), "{table}");
        assert!(stderr(&out).contains(expected), "{table}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
}
