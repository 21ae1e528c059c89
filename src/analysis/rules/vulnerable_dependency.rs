//! FH601 `vulnerable-dependency`: a Flask-stack requirement that allows a
//! version with known CVEs, from the embedded advisory table. Also the driver
//! that runs the dependency-file analysis of [`crate::deps`] once per file and
//! hands FH107 findings to `debug_toolbar_exposed`.

use ruff_text_size::TextRange;

use crate::analysis::codes::{Rule, RuleSet};
use crate::analysis::diagnostic::{Diagnostic, Fix};
use crate::analysis::discovery::TextFileKind;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;
use crate::analysis::rules::debug_toolbar_exposed;
use crate::analysis::source::SourceFile;
use crate::analysis::suppression::Suppressions;
use crate::deps::{self, DepFinding, DepFindingKind};
use crate::edit::text_range;

/// The rule's documentation, printed by `flask-harden rule FH601`.
pub const DOC: &str = r#"## What it does
Finds requirements of Flask-stack packages (flask, werkzeug, jinja2, flask-cors,
pyjwt, gunicorn, flask-appbuilder, flask-security-too, flask-admin, sqlalchemy,
requests, urllib3, pyyaml, cryptography, pillow, lxml, waitress, gevent,
eventlet, python-multipart) whose allowed versions include one with a known CVE, in
`requirements*.txt` (and `requirements/*.txt`) and in `pyproject.toml`
(`[project].dependencies`, optional dependencies, `[dependency-groups]`, and
Poetry's dependency tables). The CVEs come from an advisory table embedded in
flask-harden; each message names the date its data was checked. The table
also lists the packages checked on that date and found without a known CVE
(flask-sqlalchemy, flask-login, flask-wtf, wtforms, flask-jwt-extended,
itsdangerous, markupsafe, psycopg2, psycopg2-binary): nothing is reported for
them.

The version checked is the lowest one the requirement allows: `flask==2.2.2`,
`flask~=2.2`, `flask>=2.2,<4` and Poetry's `flask = "^2.2"` all allow 2.2.x, so
all are reported while any 2.2 release is affected. Requirements without a
lower bound (`flask`, `flask<3`) say nothing about the installed version and
are not reported (a lock file or `pip-audit` covers them). One finding is
reported per requirement, listing every CVE that applies.

## Why is this bad?
A range that admits a vulnerable release lets a fresh install, a cached wheel or
a resolver backtrack install it. The packages covered sit on the request path of
every Flask application: a werkzeug multipart bug is a denial of service, a
jinja2 sandbox escape is code execution, a flask-cors matching bug opens an API
to other origins.

## Example
```text
# requirements.txt
flask==2.2.2
werkzeug>=2.2,<4
```

Use instead:
```text
# requirements.txt
flask==3.1.3
werkzeug>=3.1.9,<4
```

## Fix safety
The fix raises every lower bound of the requirement (keeping its operator,
extras, markers and comments) to the first fixed release that no known advisory
of the package affects. A raise within the installed major series is safe. A
raise that takes any requirement across a major version (its own or one it
raises with it: Flask 1 -> 3, Werkzeug 2 -> 3, Jinja2 2 -> 3, gunicorn 21 -> 23)
is unsafe (`--unsafe-fixes`): the file still installs, but old extensions and
the app's own code may use APIs the new major removed, which their metadata
does not show. It is withheld, with the reason in the message, when the
dependency list (a requirements file or a `pyproject.toml` list) pins a
release known to break on the target: Flask-Login before 0.6.3, Flask-WTF
before 1.1.2 with Flask or Werkzeug 3; Flask-SQLAlchemy 2.x with Flask 3;
Flask before 2.0 with Jinja2 3, Werkzeug 2, itsdangerous 2 or Click 8 (Flask
1.1.3 set those maximum versions); Flask before 3.0 with Werkzeug 3; Jinja2
2.x with MarkupSafe 2 (from their changelogs); or when the
project's code imports a removed API (`_request_ctx_stack`, `_app_ctx_stack`,
`flask._compat`, `locked_cached_property`, `before_first_request`,
`flask.json.JSONEncoder`, `flask.Markup`/`escape`, `werkzeug.urls.url_quote`/
`url_encode`/`url_decode`/`url_parse`, `safe_str_cmp`, `werkzeug.contrib`,
itsdangerous' `TimedJSONWebSignatureSerializer`): raise those together by hand. When an upper bound excludes that release
and the line has a lower bound, the fix raises the lower bound and moves the
upper one to the next major release after the target (`>=2.0,<2.4` becomes
`>=2.4,<3.0`): an unsafe fix, whose message names the bound it moves. An upper
bound alone, or `--hash` values that would need regenerating, leave the finding
without an automatic fix, and the message says what to require.

The fix never leaves a file pip cannot install. flask-harden embeds the install
requirements (Requires-Dist) of every release it can raise to, and plans the
raises of one dependency list (a `requirements*.txt`, or one list or table of
`pyproject.toml`) together: each raised release's requirements are checked
against the other requirements of the list, with their raised versions.
`flask==2.0.1` next to `Werkzeug==2.0.3` becomes `flask==3.1.3` and
`Werkzeug==3.1.9` in one remediation, whose message says that Werkzeug was
raised to satisfy Flask 3.1.3 (which requires `Werkzeug>=3.1.0`). The other
requirement goes to the smallest version that meets the requirement and that
no advisory affects, chosen among the fixed versions of the advisory table and
the requirement's exact lower bound (`itsdangerous==2.0.1` becomes 2.2.0). When
no such version exists (`Werkzeug<3.0`, a line with `--hash` values, a pinned
`Flask-AppBuilder==4.6.2` that requires `Flask<3`), the finding has no fix and
its message names the conflict, e.g. "raising flask to 3.1.3 needs
Werkzeug>=3.1.0 but requirements.txt pins Werkzeug<3.0; raise both"; `fix`
lists it under what is left for a person. Requirements under an extra count
only when the line asks for it (`flask[async]` needs asgiref); other markers are
taken to apply; two lines of one package that carry different markers are read
as meant for different environments.

New releases can change behaviour: run the test suite after upgrading.

## References
- CWE-1395: Dependency on Vulnerable Third-Party Component, https://cwe.mitre.org/data/definitions/1395.html
- OWASP Top 10 A06:2021 Vulnerable and Outdated Components, https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/
- GitHub Advisory Database, https://github.com/advisories
- PEP 440 version specifiers, https://peps.python.org/pep-0440/#version-specifiers
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "vulnerable-dependency",
    fix: FixAvailability::Safe,
    cwe: "CWE-1395",
    owasp: "A06:2021",
    owasp_title: "Vulnerable and Outdated Components",
    summary: "A Flask-stack dependency pinned to a version with known CVEs",
    doc: Some(DOC),
    hooks: Hooks {
        text_file: Some(check_dependency_file),
        ..Hooks::NONE
    },
};

/// The FH601 diagnostic for one dependency finding.
fn diagnostic(finding: &DepFinding) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        Rule::VulnerableDependency,
        text_range(&finding.range),
        finding.message.clone(),
    );
    if let Some(fix) = &finding.fix {
        let edits = fix.edits.clone();
        // A raise across a major version may break old extensions and code.
        // So may a bound the project set on purpose.
        diagnostic = diagnostic.with_fix(if fix.crosses_major || fix.rewrites_bound {
            Fix::unsafe_(fix.message.clone(), edits)
        } else {
            Fix::safe(fix.message.clone(), edits)
        });
    }
    diagnostic
}

/// Runs FH601 and the dependency half of FH107 on one dependency file. Comments
/// in the file (`# noqa: FH601`, `# flask-harden: ignore[FH107]`) suppress
/// findings on their line. An invalid `pyproject.toml` yields nothing here.
pub(crate) fn check_dependency_file(
    kind: TextFileKind,
    source: &SourceFile,
    rules: RuleSet,
) -> Vec<Diagnostic> {
    let text = source.text();
    let findings = match kind {
        TextFileKind::Requirements => deps::analyze_requirements(source.path(), text),
        TextFileKind::Pyproject => match deps::analyze_pyproject_in(text, source.path().parent()) {
            Ok(findings) => findings,
            Err(_) => return Vec::new(),
        },
        TextFileKind::Flaskenv => return Vec::new(),
    };
    let diagnostics = findings.iter().filter_map(|finding| match finding.kind {
        DepFindingKind::VulnerableDependency { .. } => rules
            .contains(Rule::VulnerableDependency)
            .then(|| diagnostic(finding)),
        DepFindingKind::DebugToolbarInProduction => rules
            .contains(Rule::DebugToolbarExposed)
            .then(|| debug_toolbar_exposed::dependency_diagnostic(finding)),
    });
    let comments: Vec<TextRange> = deps::comment_ranges(text, kind == TextFileKind::Pyproject)
        .iter()
        .map(text_range)
        .collect();
    let (suppressions, _) = Suppressions::from_comments(source, &comments);
    diagnostics
        .filter(|d| !suppressions.suppresses(source, d))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::DOC;
    use crate::deps::advisory::table;

    #[test]
    fn doc_names_every_package_of_the_advisory_table() {
        let doc = DOC.to_lowercase();
        for package in table().packages() {
            assert!(doc.contains(package), "the FH601 doc does not name {package}");
        }
    }
}
