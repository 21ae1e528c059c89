//! FH601 raises that cross a major version (Flask 1 -> 3, Werkzeug 2 -> 3,
//! itsdangerous 1 -> 2): the files still install, but old extensions and the
//! app's own code may use APIs the new major removed, and their metadata does
//! not say so (old extensions declare no upper bound on Flask). Such a raise
//! is unsafe; it is withheld, with the reason, when the project pins an
//! extension release known to break on the target or its code imports a
//! removed API.

use std::path::Path;

use pep440_rs::Version;

use super::requirements_txt;
use super::{DepFinding, DepFindingKind, lowest_allowed};

/// Extension releases that do not work with a major version of Flask or
/// Werkzeug, and the first release that does (from their changelogs, checked
/// 2026-12-03; each "first working" release also runs in this project's test
/// virtualenv with Flask 3.1.3 / Werkzeug 3.1.9):
/// - Flask-Login 0.6.3 (2023-10-30): "Compatibility with Flask 3 and
///   Werkzeug 3" (earlier releases import `werkzeug.urls.url_decode`).
/// - Flask-WTF 1.1.2: "Fixed Flask 2.3 deprecations of
///   werkzeug.urls.url_encode and flask.Markup" (both removed in Werkzeug 3 /
///   Flask 3).
/// - Flask-SQLAlchemy 2.x imports `flask._app_ctx_stack`, removed in Flask
///   3.0; the 3.x line works (3.1.1 is the release tested here).
const EXTENSIONS: &[(&str, &str, u64, &str)] = &[
    // (crossed package, extension, target major, first working release)
    ("flask", "flask-login", 3, "0.6.3"),
    ("werkzeug", "flask-login", 3, "0.6.3"),
    ("flask", "flask-wtf", 3, "1.1.2"),
    ("werkzeug", "flask-wtf", 3, "1.1.2"),
    ("flask", "flask-sqlalchemy", 3, "3.0.0"),
];

/// APIs the app's own code may import that a major version removed:
/// (package, major that removed it, text found in the code, what it is).
const REMOVED_APIS: &[(&str, u64, &str, &str)] = &[
    (
        "flask",
        3,
        "_request_ctx_stack",
        "flask._request_ctx_stack (removed in Flask 3.0)",
    ),
    (
        "flask",
        3,
        "_app_ctx_stack",
        "flask._app_ctx_stack (removed in Flask 3.0)",
    ),
    (
        "flask",
        2,
        "flask._compat",
        "flask._compat (removed in Flask 2.0)",
    ),
    (
        "flask",
        3,
        "locked_cached_property",
        "flask.helpers.locked_cached_property (removed in Flask 3.0)",
    ),
    (
        "flask",
        3,
        "before_first_request",
        "app.before_first_request (removed in Flask 2.3)",
    ),
    (
        "flask",
        3,
        "JSONEncoder",
        "flask.json.JSONEncoder (removed in Flask 2.3)",
    ),
    (
        "flask",
        3,
        "from flask import Markup",
        "flask.Markup (removed in Flask 3.0)",
    ),
    (
        "flask",
        3,
        "from flask import escape",
        "flask.escape (removed in Flask 3.0)",
    ),
    ("flask", 1, "flask.ext", "flask.ext (removed in Flask 1.0)"),
    (
        "werkzeug",
        3,
        "url_quote",
        "werkzeug.urls.url_quote (removed in Werkzeug 3.0)",
    ),
    (
        "werkzeug",
        3,
        "url_encode",
        "werkzeug.urls.url_encode (removed in Werkzeug 3.0)",
    ),
    (
        "werkzeug",
        3,
        "url_decode",
        "werkzeug.urls.url_decode (removed in Werkzeug 3.0)",
    ),
    (
        "werkzeug",
        3,
        "url_parse",
        "werkzeug.urls.url_parse (removed in Werkzeug 3.0)",
    ),
    (
        "werkzeug",
        2,
        "safe_str_cmp",
        "werkzeug.security.safe_str_cmp (removed in Werkzeug 2.1)",
    ),
    (
        "werkzeug",
        1,
        "werkzeug.contrib",
        "werkzeug.contrib (removed in Werkzeug 1.0)",
    ),
    (
        "itsdangerous",
        2,
        "TimedJSONWebSignatureSerializer",
        "itsdangerous.TimedJSONWebSignatureSerializer (removed in itsdangerous 2.1)",
    ),
    (
        "itsdangerous",
        2,
        "JSONWebSignatureSerializer",
        "itsdangerous.JSONWebSignatureSerializer (removed in itsdangerous 2.1)",
    ),
];

/// Flask's own dependencies across their major versions: Flask 1.1.3 set
/// maximum versions (Werkzeug < 2, Jinja2 < 3, itsdangerous < 2, Click < 8;
/// Flask 1.x imports `jinja2.Markup`/`escape` and `itsdangerous.json`, both
/// removed since), Flask 3.0 is the first release that requires Werkzeug 3
/// (Flask 2.2 imports `werkzeug.urls.url_quote`, removed in Werkzeug 3.0),
/// and Jinja2 2.x imports `markupsafe.soft_unicode`, removed in MarkupSafe
/// 2.1. Older releases declare no such bound, so metadata alone lets pip
/// install the pair that fails at import.
const CORE: &[(&str, u64, &str, &str)] = &[
    // (raised package, from this major on, dependent, first release that works)
    ("jinja2", 3, "flask", "2.0.0"),
    ("werkzeug", 2, "flask", "2.0.0"),
    ("werkzeug", 3, "flask", "3.0.0"),
    ("itsdangerous", 2, "flask", "2.0.0"),
    ("click", 8, "flask", "2.0.0"),
    ("markupsafe", 2, "jinja2", "3.0.0"),
];

fn major(version: &Version) -> u64 {
    version.release().first().copied().unwrap_or(0)
}

/// A requirement of the dependency list: normalized name, the lowest version
/// it allows, its text.
pub type Pinned = (String, Option<Version>, String);

/// The pins of a requirements file, for [`guard`].
pub fn requirements_pins(text: &str) -> Vec<Pinned> {
    requirements_txt::parse(text)
        .requirements()
        .map(|(_, r)| {
            (
                r.normalized.clone(),
                lowest_allowed(&r.clauses),
                text[r.range.clone()].to_owned(),
            )
        })
        .collect()
}

/// Marks the FH601 fixes that raise a requirement across a major version
/// unsafe, or withholds them with the reason. `pinned` is the dependency
/// list; `project` is the folder whose Python code is searched for removed
/// APIs.
pub fn guard(findings: &mut [DepFinding], pinned: &[Pinned], project: Option<&Path>) {
    let mut code: Option<String> = None;
    for finding in findings.iter_mut() {
        if !matches!(finding.kind, DepFindingKind::VulnerableDependency { .. }) {
            continue;
        }
        let Some(fix) = finding.fix.as_ref() else {
            continue;
        };
        let version_of = |name: &str| -> Option<Version> {
            pinned
                .iter()
                .find(|(n, _, _)| n == name)
                .and_then(|(_, v, _)| v.clone())
        };
        // The version of a requirement once this fix is applied.
        let after = |name: &str| -> Option<Version> {
            fix.raises
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .or_else(|| version_of(name))
        };
        let crossings: Vec<(String, Version, Version)> = fix
            .raises
            .iter()
            .filter_map(|(name, to)| {
                let from = version_of(name)?;
                (major(to) > major(&from)).then(|| (name.clone(), from, to.clone()))
            })
            .collect();
        if crossings.is_empty() {
            continue;
        }
        let mut blockers: Vec<String> = Vec::new();
        for (package, from, target) in &crossings {
            for (crossed, extension, at_major, first) in EXTENSIONS {
                if crossed != package || major(target) < *at_major {
                    continue;
                }
                let Ok(first) = first.parse::<Version>() else {
                    continue;
                };
                for (name, version, shown) in pinned {
                    if name == extension
                        && version.as_ref().is_some_and(|v| *v < first)
                        && after(name).is_some_and(|v| v < first)
                    {
                        blockers.push(format!("`{shown}` (needs {first} or later)"));
                    }
                }
            }
            for (crossed, at_major, dependent, first) in CORE {
                if crossed != package || major(from) >= *at_major || major(target) < *at_major {
                    continue;
                }
                let Ok(first) = first.parse::<Version>() else {
                    continue;
                };
                if after(dependent).is_some_and(|v| v < first)
                    && let Some((_, _, shown)) = pinned.iter().find(|(n, _, _)| n == dependent)
                {
                    let blocker = format!(
                        "`{shown}` ({dependent} {first} or later is the first to work with {package} {at_major})"
                    );
                    if !blockers.contains(&blocker) {
                        blockers.push(blocker);
                    }
                }
            }
            let source = code.get_or_insert_with(|| project.map(project_code).unwrap_or_default());
            for (crossed, removed_in, needle, what) in REMOVED_APIS {
                if crossed == package
                    && major(from) < *removed_in
                    && major(target) >= *removed_in
                    && source.contains(needle)
                    && !blockers.iter().any(|b| b == what)
                {
                    blockers.push((*what).to_owned());
                }
            }
        }
        let name = finding.package.clone();
        let crossed: Vec<String> = crossings
            .iter()
            .map(|(package, from, to)| format!("{package} {} -> {}", major(from), major(to)))
            .collect();
        if blockers.is_empty() {
            if let Some(fix) = finding.fix.as_mut() {
                fix.crosses_major = true;
                fix.message.push_str(&format!(
                    " (crosses major versions, {}: review the changelogs, run the tests)",
                    crossed.join(", ")
                ));
            }
        } else {
            finding.fix = None;
            finding.message.push_str(&format!(
                "; not raised automatically: the raise crosses major versions ({}) and would break {}; raise those together with {name}",
                crossed.join(", "),
                blockers.join(", ")
            ));
        }
    }
}

/// The text of the project's Python files (at most 2,000 files of 1 MB).
fn project_code(root: &Path) -> String {
    let mut out = String::new();
    let mut count = 0;
    for entry in crate::analysis::discovery::project_walk(root, 8, &[]) {
        if count >= 2_000 {
            break;
        }
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "py")
            && entry
                .metadata()
                .is_ok_and(|m| m.is_file() && m.len() <= 1024 * 1024)
            && let Ok(text) = std::fs::read_to_string(path)
        {
            count += 1;
            out.push_str(&text);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn old_extensions_and_removed_apis_withhold_a_major_raise() {
        let dir = tempfile::tempdir().unwrap();
        let text = "Flask==1.1.2\nFlask-Login==0.4.1\n";
        let path = dir.path().join("requirements.txt");
        std::fs::write(&path, text).unwrap();
        let findings = super::super::analyze_requirements(&path, text);
        let flask = findings.iter().find(|f| f.package == "Flask").unwrap();
        assert!(flask.fix.is_none(), "{}", flask.message);
        assert!(
            flask.message.contains("Flask-Login==0.4.1"),
            "{}",
            flask.message
        );

        let text = "Flask==1.1.2\n";
        std::fs::write(&path, text).unwrap();
        std::fs::write(
            dir.path().join("app.py"),
            "from flask import Flask, _request_ctx_stack\n",
        )
        .unwrap();
        let findings = super::super::analyze_requirements(&path, text);
        let flask = findings.iter().find(|f| f.package == "Flask").unwrap();
        assert!(flask.fix.is_none());
        assert!(
            flask.message.contains("_request_ctx_stack"),
            "{}",
            flask.message
        );

        std::fs::write(dir.path().join("app.py"), "from flask import Flask\n").unwrap();
        let findings = super::super::analyze_requirements(&path, text);
        let flask = findings.iter().find(|f| f.package == "Flask").unwrap();
        let fix = flask.fix.as_ref().unwrap();
        assert!(fix.crosses_major, "{}", fix.message);

        // Flask's own dependencies: Jinja2 3 does not work with Flask 1.x,
        // whose metadata does not say so.
        let text = "Flask==1.1.2\nJinja2==2.11.1\nMarkupSafe==1.1.1\n";
        std::fs::write(&path, text).unwrap();
        let findings = super::super::analyze_requirements(&path, text);
        let jinja = findings.iter().find(|f| f.package == "Jinja2").unwrap();
        assert!(jinja.fix.is_none(), "{}", jinja.message);
        assert!(
            jinja
                .message
                .contains("`Flask==1.1.2` (flask 2.0.0 or later"),
            "{}",
            jinja.message
        );
        let text = "Flask==2.3.3\nJinja2==2.11.1\n";
        std::fs::write(&path, text).unwrap();
        let findings = super::super::analyze_requirements(&path, text);
        let jinja = findings.iter().find(|f| f.package == "Jinja2").unwrap();
        let fix = jinja.fix.as_ref().unwrap();
        assert!(fix.crosses_major, "{}", fix.message);
        assert!(fix.message.contains("jinja2 2 -> 3"), "{}", fix.message);

        // Any package: gunicorn 21 -> 23 is unsafe too.
        let text = "gunicorn==21.2.0\n";
        std::fs::write(&path, text).unwrap();
        let findings = super::super::analyze_requirements(&path, text);
        assert!(findings[0].fix.as_ref().unwrap().crosses_major);

        // A pyproject list gets the same guard.
        std::fs::write(dir.path().join("app.py"), "from flask import Flask\n").unwrap();
        let text =
            "[project]\nname = \"x\"\ndependencies = [\"Flask==1.1.2\", \"Jinja2==2.11.1\"]\n";
        let findings = super::super::analyze_pyproject_in(text, Some(dir.path())).unwrap();
        let jinja = findings.iter().find(|f| f.package == "Jinja2").unwrap();
        assert!(jinja.fix.is_none(), "{}", jinja.message);

        // Within a major series: safe as before.
        let text = "Flask==3.1.0\n";
        std::fs::write(&path, text).unwrap();
        let findings = super::super::analyze_requirements(&path, text);
        let flask = findings.iter().find(|f| f.package == "Flask").unwrap();
        assert!(!flask.fix.as_ref().unwrap().crosses_major);
    }
}
