//! `flask-harden fix` from the command line: per-fixture snapshots of every
//! remediation's diff (CRLF, BOM, tabs, latin-1, multi-line calls, aliases,
//! factories, extension modules, .flaskenv), what `--yes` writes (bytes kept,
//! idempotent, still compiles), the JSON contract, option handling, the
//! interactive prompt in a real pseudo-terminal, and bad input.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{self, flask_harden, read_tree, repo_root};

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn fixtures() -> Vec<(String, PathBuf)> {
    let base = repo_root().join("tests/fixtures/fix");
    let mut out: Vec<_> = fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

/// Runs `fix` in `dir` with `args` (colours off, a fixed environment).
fn fix_in(dir: &Path, args: &[&str]) -> Output {
    flask_harden()
        .arg("fix")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The lines a dry-run diff removes, with their text only.
fn removed_lines(diff: &str) -> Vec<String> {
    diff.lines()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .map(|l| l[1..].trim_end_matches('\r').to_owned())
        .collect()
}

/// Whether a diff line (where secrets show as `"***"`) is `line`.
fn masked_match(diff_line: &str, line: &str) -> bool {
    let pattern = regex::escape(diff_line).replace(
        r#""\*\*\*""#,
        r#"(?:[rRbBuU]{0,2}"[^"]*"|[rRbBuU]{0,2}'[^']*')"#,
    );
    regex::Regex::new(&format!("^{pattern}$")).is_ok_and(|re| re.is_match(line))
}

#[test]
fn fixtures_dry_run_snapshots_and_apply() {
    let venv = support::venv();
    for (name, fixture) in fixtures() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join(&name);
        copy_dir(&fixture, &root);
        let before = read_tree(&root);

        let dry = fix_in(&root, &["--dry-run", "."]);
        assert_eq!(dry.status.code(), Some(1), "{name}: {}", text(&dry.stderr));
        assert!(dry.stderr.is_empty(), "{name}: {}", text(&dry.stderr));
        assert_eq!(
            read_tree(&root),
            before,
            "{name}: --dry-run wrote something"
        );
        let stdout = text(&dry.stdout);
        insta::with_settings!({
            snapshot_path => "../../snapshots",
            prepend_module_to_snapshot => false,
            description => format!("flask-harden fix --dry-run . (in tests/fixtures/fix/{name})"),
        }, {
            insta::assert_snapshot!(format!("fix_{name}"), stdout);
        });

        // Exit 1 after applying when findings are left for a person.
        let left = stdout.contains("Left for a person");
        let yes = fix_in(&root, &["--yes", "."]);
        assert_eq!(
            yes.status.code(),
            Some(i32::from(left)),
            "{name}: {}",
            text(&yes.stderr)
        );
        // Inserted code only uses names that are bound (an aliased `import os
        // as o` does not bind `os`): pyflakes' undefined-name check passes.
        let undefined = std::process::Command::new(venv.bin("ruff"))
            .args(["check", "--no-cache", "--quiet", "--select", "F821", "."])
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(
            undefined.status.success(),
            "{name}: undefined names after fix\n{}",
            text(&undefined.stdout)
        );
        let again = fix_in(&root, &["--dry-run", "."]);
        assert_eq!(
            again.status.code(),
            Some(0),
            "{name}: not idempotent\n{}",
            text(&again.stdout)
        );
        assert!(text(&again.stdout).contains("Nothing to fix."), "{name}");

        let removed = removed_lines(&stdout);
        let after = read_tree(&root);
        for (path, old) in &before {
            let Some((_, new)) = after.iter().find(|(p, _)| p == path) else {
                panic!("{name}: {path} disappeared");
            };
            if old == new {
                continue;
            }
            // Line endings, BOM and encoding survive; untouched lines are
            // byte-identical (each old line is still there or was removed by
            // a remediation's diff).
            let crlf = old.windows(2).filter(|w| w == b"\r\n").count();
            let lf = old.iter().filter(|&&b| b == b'\n').count();
            let new_lf = new.iter().filter(|&&b| b == b'\n').count();
            let new_crlf = new.windows(2).filter(|w| w == b"\r\n").count();
            if crlf == lf {
                assert_eq!(new_crlf, new_lf, "{name}/{path}: a line lost its CRLF");
            } else {
                assert_eq!(new_crlf, crlf, "{name}/{path}: CRLF count changed");
            }
            assert_eq!(
                old.starts_with(b"\xEF\xBB\xBF"),
                new.starts_with(b"\xEF\xBB\xBF"),
                "{name}/{path}: BOM"
            );
            let new_lines: Vec<&[u8]> = new.split_inclusive(|&b| b == b'\n').collect();
            for line in old.split_inclusive(|&b| b == b'\n') {
                let shown = String::from_utf8_lossy(line)
                    .trim_end_matches(['\r', '\n'])
                    .trim_start_matches('\u{feff}')
                    .to_owned();
                assert!(
                    new_lines.contains(&line)
                        || removed
                            .iter()
                            .any(|r| masked_match(r.trim_start_matches('\u{feff}'), &shown)),
                    "{name}/{path}: line {shown:?} changed outside a diff"
                );
            }
        }
        // Every Python file still compiles with CPython.
        let sources: Vec<PathBuf> = after
            .iter()
            .filter(|(p, _)| p.ends_with(".py"))
            .map(|(p, _)| root.join(p))
            .collect();
        support::run(
            venv.python()
                .args(["-m", "py_compile"])
                .args(&sources)
                .env("PYTHONPYCACHEPREFIX", dir.path().join("pycache")),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// FH107 with a module-level `from flask_debugtoolbar import ...`: `fix --yes`
/// moves the import into the debug guard, then (next pass) the package to the
/// development requirements. The fixed app starts where flask-debugtoolbar is
/// not installed, and still gets its toolbar in debug mode.
#[test]
fn toolbar_import_moves_into_the_guard_and_production_starts_without_it() {
    let venv = support::venv();
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &repo_root().join("tests/fixtures/fix/toolbar_import_moved"),
        dir.path(),
    );
    let yes = fix_in(dir.path(), &["--yes", "."]);
    assert_eq!(yes.status.code(), Some(0), "{}", text(&yes.stderr));
    let requirements = fs::read_to_string(dir.path().join("requirements.txt")).unwrap();
    assert!(
        !requirements.contains("flask-debugtoolbar"),
        "{requirements}"
    );
    let dev = fs::read_to_string(dir.path().join("requirements-dev.txt")).unwrap();
    assert!(dev.contains("flask-debugtoolbar==0.16.0"), "{dev}");
    let start = |debug: &str, blocked: bool| {
        // `sys.modules[...] = None` makes any import of the package fail, as
        // on a production install without it.
        let block = if blocked {
            "sys.modules['flask_debugtoolbar'] = None\n"
        } else {
            ""
        };
        let code = format!(
            "import sys\n{block}import app\nprint(type(app.toolbar).__name__, app.app.debug)"
        );
        let out = venv
            .python()
            .args(["-c", &code])
            .current_dir(dir.path())
            .env("SECRET_KEY", "k".repeat(40))
            .env("FLASK_DEBUG", debug)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout).trim().to_string()
    };
    assert_eq!(start("0", true), "NoneType False");
    assert_eq!(start("1", false), "DebugToolbarExtension True");
}

#[test]
fn latin1_file_is_written_back_in_latin1() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("tests/fixtures/fix/latin1"), dir.path());
    let out = fix_in(dir.path(), &["--yes", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let bytes = fs::read(dir.path().join("app.py")).unwrap();
    assert!(
        bytes.windows(6).any(|w| w == b"Caf\xe9\"\n"),
        "latin-1 byte kept"
    );
    assert!(
        String::from_utf8(bytes.clone()).is_err(),
        "not re-encoded as UTF-8"
    );
    assert!(bytes.windows(9).any(|w| w == b"import os"));
}

#[test]
fn json_lists_remediations_and_masks_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &repo_root().join("tests/fixtures/fix/single_file"),
        dir.path(),
    );
    let out = fix_in(dir.path(), &["--dry-run", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains("notes-secret-key"),
        "secret printed: {stdout}"
    );
    let items: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    let codes: Vec<&str> = items.iter().map(|i| i["code"].as_str().unwrap()).collect();
    for code in [
        "FH101", "FH102", "FH104", "FH105", "FH108", "FH202", "FH203", "FH602",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    for item in &items {
        assert!(item["path"].is_string());
        assert_eq!(item["applicability"], "safe");
        let diff = item["diff"].as_str().unwrap();
        assert!(diff.starts_with("--- a/"), "{diff}");
        assert!(diff.contains("\n@@ "), "{diff}");
    }
    let fh102: Vec<_> = items.iter().filter(|i| i["code"] == "FH102").collect();
    let paths: Vec<&str> = fh102.iter().map(|i| i["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["app.py", ".env.example", ".gitignore"]);
    assert!(
        fh102[0]["diff"]
            .as_str()
            .unwrap()
            .contains("-app.config[\"SECRET_KEY\"] = \"***\"")
    );
    assert!(fh102[1]["diff"].as_str().unwrap().contains("+SECRET_KEY="));
}

#[test]
fn select_ignore_and_unsafe_fixes() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &repo_root().join("tests/fixtures/fix/single_file"),
        dir.path(),
    );
    let codes = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--dry-run", "--format", "json"];
        all.extend_from_slice(args);
        let out = fix_in(dir.path(), &all);
        let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        items
            .iter()
            .map(|i| i["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(codes(&["--select", "FH104", "."]), ["FH104"]);
    let ignored = codes(&["--ignore", "FH1,FH2", "."]);
    assert!(
        ignored
            .iter()
            .all(|c| !c.starts_with("FH1") && !c.starts_with("FH2")),
        "{ignored:?}"
    );
    fs::write(
        dir.path().join("cookie.py"),
        "from flask import Flask, make_response\n\napp2 = Flask(__name__)\n\n\n@app2.get(\"/\")\ndef index():\n    resp = make_response(\"hi\")\n    resp.set_cookie(\"theme\", \"dark\")\n    return resp\n",
    )
    .unwrap();
    let safe = codes(&["--select", "FH105", "."]).len();
    let with_unsafe = codes(&["--select", "FH105", "--unsafe-fixes", "."]).len();
    assert_eq!(with_unsafe, safe + 1, "set_cookie fix is unsafe");
    let out = fix_in(dir.path(), &["--dry-run", "--select", "FH999", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("FH999"));
}

#[test]
fn without_a_terminal_it_refuses_to_ask() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &repo_root().join("tests/fixtures/fix/single_file"),
        dir.path(),
    );
    let before = read_tree(dir.path());
    let out = fix_in(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("no terminal") && stderr.contains("--yes") && stderr.contains("--dry-run"),
        "{stderr}"
    );
    assert_eq!(read_tree(dir.path()), before);
}

#[test]
fn nothing_to_fix_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("util.py"),
        "def add(a, b):\n    return a + b\n",
    )
    .unwrap();
    let out = fix_in(dir.path(), &["--dry-run", "."]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "Nothing to fix.\n");
    let out = fix_in(dir.path(), &["--dry-run", "--format", "json", "."]);
    assert_eq!(text(&out.stdout).trim(), "[]");
}

#[cfg(unix)]
#[test]
fn fix_yes_exits_1_while_findings_remain() {
    let dir = tempfile::tempdir().unwrap();
    let views = "from flask import make_response\n\n\ndef view():\n    resp = make_response(\"ok\")\n    resp.set_cookie(\"theme\", \"dark\")\n    return resp\n";
    fs::write(dir.path().join("views.py"), views).unwrap();
    fs::write(dir.path().join("settings.py"), "DEBUG = True\n").unwrap();
    // The safe fix is applied; the unsafe one is not taken, so a finding remains.
    let out = fix_in(dir.path(), &["--yes", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("Left for a person (1):"));
    assert!(
        fs::read_to_string(dir.path().join("settings.py"))
            .unwrap()
            .contains("FLASK_DEBUG")
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("views.py")).unwrap(),
        views
    );
    // JSON lists what was applied; the exit code says what remains.
    let out = fix_in(dir.path(), &["--yes", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout).trim(), "[]");
    // With --unsafe-fixes nothing remains: 0, like `ruff check --fix`.
    let out = fix_in(dir.path(), &["--yes", "--unsafe-fixes", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let out = fix_in(dir.path(), &["--yes", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout), "Nothing was fixed.\n");
    // A report-only finding also remains after fixing.
    fs::write(
        dir.path().join("load.py"),
        "import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n",
    )
    .unwrap();
    let out = fix_in(dir.path(), &["--yes", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("(report only)"));
    // --dry-run is unchanged: 0 when nothing is pending, whatever remains.
    assert_eq!(
        fix_in(dir.path(), &["--dry-run", "."]).status.code(),
        Some(0)
    );
}

#[test]
fn read_only_file_is_reported_and_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app.py");
    let other = dir.path().join("other.py");
    fs::write(
        &app,
        "from flask import Flask\napp = Flask(__name__)\napp.debug = True\n",
    )
    .unwrap();
    fs::write(
        &other,
        "import os\nos.environ.setdefault('X', '1')\nDEBUG = True\n",
    )
    .unwrap();
    fs::set_permissions(&app, fs::Permissions::from_mode(0o444)).unwrap();
    let before = fs::read(&app).unwrap();
    let out = fix_in(dir.path(), &["--yes", "--select", "FH101", "."]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("app.py: the file is read-only; not changed"),
        "{stderr}"
    );
    assert_eq!(fs::read(&app).unwrap(), before);
    assert_eq!(
        fs::metadata(&app).unwrap().permissions().mode() & 0o777,
        0o444
    );
    assert!(
        fs::read_to_string(&other).unwrap().contains("FLASK_DEBUG"),
        "other files still fixed"
    );
    let summary = text(&out.stdout);
    assert!(summary.contains("FH101 debug-mode-enabled: 1"), "{summary}");
}

#[cfg(unix)]
#[test]
fn permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app.py");
    fs::write(&app, "#!/usr/bin/env python\nDEBUG = True\n").unwrap();
    fs::set_permissions(&app, fs::Permissions::from_mode(0o750)).unwrap();
    let out = fix_in(dir.path(), &["--yes", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        fs::metadata(&app).unwrap().permissions().mode() & 0o777,
        0o750
    );
    assert!(fs::read_to_string(&app).unwrap().contains("import os\n"));
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "temporary files left: {leftovers:?}");
}

#[cfg(unix)]
#[test]
fn symlink_out_of_the_tree_is_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("shared.py");
    fs::write(&target, "DEBUG = True\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(&target, dir.path().join("shared.py")).unwrap();
    fs::write(dir.path().join("app.py"), "DEBUG = True\n").unwrap();
    let out = fix_in(dir.path(), &["--yes", "."]);
    assert_eq!(
        fs::read_to_string(&target).unwrap(),
        "DEBUG = True\n",
        "outside file untouched"
    );
    assert!(
        fs::symlink_metadata(dir.path().join("shared.py"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::read_to_string(dir.path().join("app.py"))
            .unwrap()
            .contains("FLASK_DEBUG")
    );
    // Discovery does not follow the link, and says so.
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("note: shared.py is a symbolic link to ")
            && stderr.contains("outside the checked folder: not followed"),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[test]
fn non_utf8_file_is_skipped_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("legacy.py");
    fs::write(&bad, b"s = '\xe9'\nDEBUG = True\n").unwrap();
    fs::write(dir.path().join("app.py"), "DEBUG = True\n").unwrap();
    let out = fix_in(dir.path(), &["--yes", "."]);
    assert_eq!(fs::read(&bad).unwrap(), b"s = '\xe9'\nDEBUG = True\n");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("legacy.py") && stderr.contains("UTF-8"),
        "{stderr}"
    );
    assert!(
        fs::read_to_string(dir.path().join("app.py"))
            .unwrap()
            .contains("FLASK_DEBUG")
    );
}

#[test]
fn a_named_file_that_cannot_be_analysed_is_an_error_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let broken = b"DEBUG = True\ndef f(:\n";
    fs::write(dir.path().join("broken.py"), broken).unwrap();
    fs::write(dir.path().join("app.py"), "DEBUG = True\n").unwrap();
    for mode in ["--yes", "--dry-run"] {
        let out = fix_in(dir.path(), &[mode, "app.py", "broken.py"]);
        assert_eq!(out.status.code(), Some(2), "{mode}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("error: broken.py:2:7:") && stderr.contains("nothing was written"),
            "{mode}: {stderr}"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("app.py")).unwrap(),
            "DEBUG = True\n",
            "{mode}: nothing written"
        );
        assert!(out.stdout.is_empty(), "{mode}: {}", text(&out.stdout));
    }
    // Walking the folder, the broken file is a warning and the rest is fixed.
    let out = fix_in(dir.path(), &["--yes", "."]);
    assert!(
        text(&out.stderr).contains("warning: broken.py:2:7:"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        fs::read_to_string(dir.path().join("app.py"))
            .unwrap()
            .contains("FLASK_DEBUG")
    );
    assert_eq!(fs::read(dir.path().join("broken.py")).unwrap(), broken);
}

#[test]
fn file_edited_after_analysis_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app.py");
    fs::write(&app, "DEBUG = True\n").unwrap();
    let paths = vec![dir.path().to_path_buf()];
    let settings = flask_harden::analysis::settings::CheckSettings::default();
    let plan = flask_harden::remediate::plan(&paths, &settings, Default::default(), &mut |_| {
        flask_harden::remediate::Decision::Apply
    })
    .unwrap();
    assert_eq!(plan.remediations.len(), 1);
    fs::write(&app, "DEBUG = True  # edited meanwhile\n").unwrap();
    let roots = flask_harden::remediate::Roots::new(&paths).unwrap();
    let outcome = flask_harden::remediate::write_plan(&plan, &roots);
    assert!(outcome.written.is_empty());
    let message = outcome.failed[0].to_string();
    assert!(
        message.contains("changed on disk since it was analysed"),
        "{message}"
    );
    assert_eq!(
        fs::read_to_string(&app).unwrap(),
        "DEBUG = True  # edited meanwhile\n"
    );
    fs::remove_file(&app).unwrap();
    let outcome = flask_harden::remediate::write_plan(&plan, &roots);
    assert!(outcome.failed[0].to_string().contains("changed on disk"));
    assert!(!app.exists(), "a deleted file is not recreated");
}

/// Runs `fix` interactively in a real pseudo-terminal (util-linux `script`),
/// typing `answers`; returns the transcript.
fn interactive(dir: &Path, answers: &str) -> (Option<i32>, String) {
    use std::io::Write;
    let command = format!("{} fix --no-color .", env!("CARGO_BIN_EXE_flask-harden"));
    let mut child = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("TERM", "dumb")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux `script` runs the command in a pseudo-terminal");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answers.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code(), text(&out.stdout))
}

fn debug_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.py"), "DEBUG = True\n").unwrap();
    fs::write(dir.path().join("b.py"), "DEBUG = True\n").unwrap();
    fs::write(dir.path().join("c.py"), "DEBUG = True\n").unwrap();
    dir
}

fn fixed(dir: &Path) -> Vec<bool> {
    ["a.py", "b.py", "c.py"]
        .iter()
        .map(|f| {
            fs::read_to_string(dir.join(f))
                .unwrap()
                .contains("FLASK_DEBUG")
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn interactive_prompt_yes_no_all_quit() {
    let dir = debug_project();
    let (code, transcript) = interactive(dir.path(), "y\nn\n?\ny\n");
    assert_eq!(code, Some(1), "the declined finding remains: {transcript}");
    assert!(
        transcript.contains("Apply? [y]es [n]o [a]ll remaining [q]uit [?] explain"),
        "{transcript}"
    );
    assert!(
        transcript.contains("flask-harden rule FH101"),
        "? explains: {transcript}"
    );
    assert!(
        transcript.contains("-DEBUG = True"),
        "diff shown before asking"
    );
    assert_eq!(fixed(dir.path()), [true, false, true]);
    assert!(
        transcript.contains("Fixed 2 remediation(s)"),
        "{transcript}"
    );

    let dir = debug_project();
    let (code, transcript) = interactive(dir.path(), "a\n");
    assert_eq!(code, Some(0), "nothing remains: {transcript}");
    assert_eq!(fixed(dir.path()), [true, true, true], "{transcript}");

    let dir = debug_project();
    let (_, transcript) = interactive(dir.path(), "n\na\n");
    assert_eq!(fixed(dir.path()), [false, true, true], "{transcript}");
    assert_eq!(
        transcript.matches("+++ b/").count(),
        2,
        "`a` stops asking: {transcript}"
    );

    let dir = debug_project();
    let (code, transcript) = interactive(dir.path(), "y\nq\n");
    assert_eq!(code, Some(1), "two findings remain: {transcript}");
    assert_eq!(fixed(dir.path()), [true, false, false], "{transcript}");
    assert!(
        transcript.contains("Fixed 1 remediation(s)"),
        "{transcript}"
    );
}

/// Runs a Python script with the shared virtualenv in `dir`; its standard output.
fn python_output(dir: &Path, script: &str) -> Result<String, String> {
    let out = support::run(
        support::venv()
            .python()
            .args(["-c", script])
            .current_dir(dir),
    )?;
    Ok(text(&out.stdout))
}

/// A view that reads JSON fields of any type, and one that reads a body sent
/// without a JSON Content-Type (`force=True`).
const FH301_APP: &str = r#"from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/count")
def count():
    data = request.get_json()
    if (items := data.get("items")) is None:
        return jsonify(error="items required"), 400
    return jsonify(count=len(items))


@app.post("/forced")
def forced():
    data = request.get_json(force=True)
    return jsonify(name=data["name"].strip(), tags=len(data.get("tags", [])))
"#;

/// Sends the same requests to `app.py` in `dir` under Flask's test client and
/// prints their status codes as a JSON list.
const FH301_CLIENT: &str = r#"import json, sys
sys.path.insert(0, ".")
from app import app
c = app.test_client()
plain = {"content_type": "text/plain"}
codes = [
    c.post("/count", json={"items": [1, 2]}),
    c.post("/count", json={"items": {"a": 1}}),
    c.post("/forced", data=json.dumps({"name": " x ", "tags": [1, 2]}), **plain),
    c.post("/forced", data=json.dumps({"name": "x" * 1001}), **plain),
]
print(json.dumps([r.status_code for r in codes]))
print(json.dumps(codes[0].get_json()))
"#;

#[test]
fn fh301_unsafe_fix_keeps_what_the_view_accepted() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("app.py"), FH301_APP).unwrap();
    let client = |dir: &Path| python_output(dir, FH301_CLIENT).unwrap();
    // The original views: a list (or object) field and a non-JSON Content-Type
    // are accepted, and nothing bounds the name.
    assert_eq!(client(dir.path()), "[200, 200, 200, 200]\n{\"count\": 2}\n");
    let out = fix_in(
        dir.path(),
        &["--yes", "--unsafe-fixes", "--select", "FH301", "app.py"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let fixed = fs::read_to_string(dir.path().join("app.py")).unwrap();
    assert!(fixed.contains("items: Any = None"), "{fixed}");
    assert!(
        fixed.contains("name: str = Field(strict=True, max_length=1_000)"),
        "{fixed}"
    );
    assert!(
        fixed.contains("request.get_json(force=True, silent=True) or {}"),
        "{fixed}"
    );
    // The same requests still succeed; the oversized string is now refused.
    assert_eq!(client(dir.path()), "[200, 200, 200, 422]\n{\"count\": 2}\n");
}

/// Views that convert, iterate and string-process what they read, and return
/// the raw values next to what they computed.
const FH301_TYPES_APP: &str = r#"from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/tags")
def tags():
    names = request.form.getlist("tag")
    upper = [name.upper() for name in names]
    return jsonify(raw={"tag": names, "title": request.form["title"]}, upper=upper)


@app.get("/page")
def page():
    number = request.args.get("page", 1, type=int)
    size = int(request.args["size"])
    raw = {"size": request.args["size"], "page": request.args.get("page")}
    return jsonify(raw=raw, page=number, size=size)


@app.post("/json")
def json_view():
    data = request.get_json()
    count = int(data["count"])
    label = data["label"].strip()
    raw = {"count": data["count"], "label": data["label"], "extra": data.get("extra")}
    return jsonify(raw=raw, count=count, label=label)


@app.post("/mixed")
def mixed():
    data = request.get_json()
    code = int(data["code"])
    return jsonify(raw={"code": data["code"]}, code=code, padded=data["code"].zfill(5))
"#;

/// Sends valid and borderline requests to the fixed views: none may fail with
/// a 500, and whenever a view answers 200 the raw values it read are exactly
/// (type and value) the ones its generated model validated. Prints the codes.
const FH301_TYPES_CLIENT: &str = r#"import json, sys
sys.path.insert(0, ".")
import app as module
from werkzeug.datastructures import MultiDict
c = module.app.test_client()
cases = [
    ("/tags", "form", MultiDict([("tag", "a"), ("tag", "b"), ("title", "t")]), module.TagsBody),
    ("/tags", "form", MultiDict([("tag", "a"), ("tag", "x" * 1001), ("title", "t")]), module.TagsBody),
    ("/page", "args", {"size": "5"}, module.PageBody),
    ("/page", "args", {"size": "5", "page": "007"}, module.PageBody),
    ("/page", "args", {"size": "5.0"}, module.PageBody),
    ("/page", "args", {"size": "5", "page": "2.0"}, module.PageBody),
    ("/page", "args", {"size": "-1"}, module.PageBody),
    ("/json", "json", {"count": 5, "label": " x ", "extra": [1]}, module.JsonViewBody),
    ("/json", "json", {"count": "5", "label": "x"}, module.JsonViewBody),
    ("/json", "json", {"count": "5.0", "label": "x"}, module.JsonViewBody),
    ("/json", "json", {"count": True, "label": "x"}, module.JsonViewBody),
    ("/json", "json", {"count": 5.0, "label": "x"}, module.JsonViewBody),
    ("/json", "json", {"count": 5, "label": 7}, module.JsonViewBody),
    ("/mixed", "json", {"code": "42"}, module.MixedBody),
    ("/mixed", "json", {"code": 42}, module.MixedBody),
]
codes = []
for path, kind, payload, model in cases:
    if kind == "form":
        resp = c.post(path, data=payload)
        data = {**payload.to_dict(), "tag": payload.getlist("tag")}
    elif kind == "args":
        resp = c.get(path, query_string=payload)
        data = payload
    else:
        resp = c.post(path, json=payload)
        data = payload
    assert resp.status_code != 500, (path, payload)
    codes.append(resp.status_code)
    if resp.status_code == 200:
        validated = model.model_validate(data).model_dump()
        for name, raw in resp.get_json()["raw"].items():
            if raw is None and name not in data:
                continue
            assert type(raw) is type(validated[name]) and raw == validated[name], (path, name, raw, validated[name])
print(json.dumps(codes))
"#;

#[test]
fn fh301_validated_values_are_the_raw_values_the_view_reads() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("app.py"), FH301_TYPES_APP).unwrap();
    let out = fix_in(
        dir.path(),
        &["--yes", "--unsafe-fixes", "--select", "FH301", "app.py"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let fixed = fs::read_to_string(dir.path().join("app.py")).unwrap();
    for line in [
        "tag: list[Annotated[str, Field(max_length=1_000)]] = Field(max_length=1_000)",
        r#"{**request.form.to_dict(), "tag": request.form.getlist("tag")}"#,
        r#"size: str = Field(pattern=r"^[0-9]{1,7}$")"#,
        "count: int = Field(strict=True, ge=0, le=1_000_000)",
        r#"code: str = Field(pattern=r"^[0-9]{1,7}$")"#,
    ] {
        assert!(fixed.contains(line), "{line}\n{fixed}");
    }
    let codes =
        python_output(dir.path(), FH301_TYPES_CLIENT).unwrap_or_else(|e| panic!("{e}\n{fixed}"));
    // tags: all values checked; page: digits only; json: a JSON integer for
    // int(...) and a string for .strip(); mixed: digits as a string.
    assert_eq!(
        codes,
        "[200, 422, 200, 200, 422, 422, 422, 200, 422, 422, 422, 422, 422, 200, 422]\n"
    );
}

const FH106_CONFIG: &str = r#"class Config:
    SECRET_KEY = "x" * 32  # noqa: FH102
    WTF_CSRF_ENABLED = False  # nobody sends tokens yet


class StagingConfig(Config):
    DEBUG = False


class TestingConfig(StagingConfig):
    TESTING = True
"#;

const FH106_APP: &str = r#"from flask import Flask
from flask_wtf import CSRFProtect

csrf = CSRFProtect()


def create_app(config="config.Config"):
    app = Flask(__name__)
    app.config.from_object(config)
    csrf.init_app(app)

    @app.post("/comments")
    def comment():
        return {"ok": True}, 201

    return app
"#;

const FH106_TEST: &str = r#"from app import create_app


def test_post_without_token():
    client = create_app("config.TestingConfig").test_client()
    assert client.post("/comments", data={"text": "hi"}).status_code == 201
"#;

/// Status of a POST without a CSRF token under each config class.
const FH106_CLIENT: &str = r#"from app import create_app
for name in ["Config", "StagingConfig", "TestingConfig"]:
    client = create_app("config." + name).test_client()
    print(name, client.post("/comments", data={"text": "hi"}).status_code)
"#;

#[test]
fn fh106_fix_removes_the_override_and_keeps_tests_green() {
    let venv = support::venv();
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("config.py"), FH106_CONFIG).unwrap();
    fs::write(dir.path().join("app.py"), FH106_APP).unwrap();
    fs::create_dir(dir.path().join("tests")).unwrap();
    fs::write(dir.path().join("tests/test_app.py"), FH106_TEST).unwrap();
    let client = |dir: &Path| python_output(dir, FH106_CLIENT).unwrap();
    let pytest = |dir: &Path| {
        support::run(
            venv.python()
                .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
                .env("PYTHONPATH", dir)
                .current_dir(dir),
        )
    };
    assert_eq!(
        client(dir.path()),
        "Config 201\nStagingConfig 201\nTestingConfig 201\n",
        "CSRF is off everywhere before the fix"
    );
    pytest(dir.path()).unwrap();

    let out = fix_in(dir.path(), &["--yes", "--select", "FH106", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let fixed = fs::read_to_string(dir.path().join("config.py")).unwrap();
    assert_eq!(
        fixed,
        FH106_CONFIG
            .replace(
                "    WTF_CSRF_ENABLED = False  # nobody sends tokens yet\n",
                ""
            )
            .replace(
                "    TESTING = True\n",
                "    TESTING = True\n    WTF_CSRF_ENABLED = False\n"
            )
    );
    // Production and staging now refuse a post without a token; the tests'
    // config keeps CSRF off, so the suite stays green.
    assert_eq!(
        client(dir.path()),
        "Config 400\nStagingConfig 400\nTestingConfig 201\n"
    );
    pytest(dir.path()).unwrap();
    let again = fix_in(dir.path(), &["--dry-run", "--select", "FH106", "."]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stdout));
}

#[test]
fn single_file_run_lists_the_follow_ups_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &repo_root().join("tests/fixtures/fix/single_file"),
        dir.path(),
    );
    let requirements = fs::read(dir.path().join("requirements.txt")).unwrap();
    let out = fix_in(dir.path(), &["--yes", "app.py"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let todo: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("To do: "))
        .collect();
    let outside = "lies outside the paths given to `fix`, so it was not written";
    assert!(
        todo.iter()
            .any(|l| l.starts_with("To do: List SECRET_KEY in .env.example") && l.contains(outside)),
        "{stdout}"
    );
    assert!(
        todo.iter()
            .any(|l| l.starts_with("To do: Git-ignore .env") && l.contains(outside)),
        "{stdout}"
    );
    assert!(
        todo.iter()
            .any(|l| l.contains("flask-talisman") && l.contains("requirements.txt")),
        "{stdout}"
    );
    // Nothing outside the given file was written.
    assert!(!dir.path().join(".env.example").exists());
    assert!(!dir.path().join(".gitignore").exists());
    assert_eq!(
        fs::read(dir.path().join("requirements.txt")).unwrap(),
        requirements
    );
}

#[test]
fn interactive_prompt_masks_every_secret() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("app.py"),
        "from flask import Flask\n\nAWS_SECRET_ACCESS_KEY = \"AKIAPROMPTSECRET01\"\napp = Flask(__name__)\napp.config[\"SECRET_KEY\"] = \"pr0mpt-s3cret-key-02\"\napp.run(debug=True)\n",
    )
    .unwrap();
    let (_, transcript) = interactive(dir.path(), "n\nn\nn\nn\nn\nn\nn\nn\nn\nn\nq\n");
    assert!(transcript.contains("Apply?"), "{transcript}");
    assert!(transcript.contains("\"***\""), "{transcript}");
    for secret in ["AKIAPROMPTSECRET01", "pr0mpt-s3cret-key-02"] {
        assert!(
            !transcript.contains(secret),
            "{secret} shown:\n{transcript}"
        );
    }
}

/// FH301's generated model (issue 16 item 4): bounds from the project's
/// SQLAlchemy columns and WTForms validators, placeholders named as a TODO,
/// PUT/PATCH fields optional (a partial update keeps working), `Field`
/// imported only when used, and no pydantic-2 code for a pydantic-1 project.
#[test]
fn fh301_model_takes_bounds_from_the_models_and_fits_the_pydantic_major() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("models.py"),
        "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n\nclass Post(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    title = db.Column(db.String(80), nullable=False)\n",
    )
    .unwrap();
    fs::write(
        root.join("app.py"),
        "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.route(\"/posts/<int:pk>\", methods=[\"PUT\"])\ndef update_post(pk):\n    data = request.get_json()\n    return {\"title\": data[\"title\"].strip(), \"body\": data[\"body\"].strip()}\n",
    )
    .unwrap();
    let run = |root: &Path| {
        let out = flask_harden()
            .args([
                "fix",
                "--dry-run",
                "--unsafe-fixes",
                "--select",
                "FH301",
                ".",
            ])
            .current_dir(root)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let diff = run(root);
    assert!(
        diff.contains(
            "+    title: Optional[str] = Field(default=None, strict=True, max_length=80)"
        ),
        "{diff}"
    );
    assert!(
        diff.contains(
            "+    body: Optional[str] = Field(default=None, strict=True, max_length=1_000)"
        ),
        "{diff}"
    );
    assert!(
        diff.contains("no bound found in the models for `body`"),
        "{diff}"
    );

    // The same project held on pydantic 1: reported, no pydantic-2 code.
    fs::write(
        root.join("requirements.txt"),
        "Flask==3.1.3\npydantic==1.10.13\n",
    )
    .unwrap();
    let dir2 = tempfile::tempdir().unwrap();
    copy_dir(root, dir2.path());
    let out = run(dir2.path());
    assert!(!out.contains("model_validate"), "{out}");
}

/// A factory whose `return app` sits inside `with app.app_context():` (as
/// CTFd's does): the added code goes before that return, inside the block,
/// and the hooks stay in the factory (they were put after the return and at
/// module level, where `app` does not exist: the app failed at import).
#[test]
fn factory_returning_inside_app_context_gets_reachable_code_and_hooks() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("board");
    fs::create_dir_all(pkg.join("templates")).unwrap();
    fs::write(
        pkg.join("__init__.py"),
        "from flask import Flask, render_template\n\n\ndef create_app():\n    app = Flask(__name__)\n    with app.app_context():\n        app.config[\"GREETING\"] = \"hi\"\n\n        @app.get(\"/\")\n        def index():\n            return render_template(\"index.html\")\n\n        @app.post(\"/login\")\n        def login():\n            return \"ok\"\n\n        return app\n",
    )
    .unwrap();
    // An inline event handler: the script policy is report-only (a hook).
    fs::write(
        pkg.join("templates/index.html"),
        "<!doctype html><title>b</title><button onclick=\"go()\">go</button>\n",
    )
    .unwrap();
    let out = fix_in(dir.path(), &["--yes", "--select", "FH202,FH203,FH108", "."]);
    let fixed = fs::read_to_string(pkg.join("__init__.py")).unwrap();
    assert!(
        fixed.contains("        def csp_report_only(response):")
            && fixed.contains("        def limit_auth_attempts():")
            && fixed.ends_with("        return app\n"),
        "{}\n{fixed}",
        text(&out.stdout)
    );
    let script = "from board import create_app\napp = create_app()\nr = app.test_client().get('/', base_url='https://localhost')\nprint(r.status_code, 'Content-Security-Policy-Report-Only' in r.headers, app.config['MAX_CONTENT_LENGTH'] > 0)";
    assert_eq!(
        python_output(dir.path(), script).unwrap(),
        "200 True True\n"
    );
}
