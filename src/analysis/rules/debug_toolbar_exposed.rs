//! FH107 `debug-toolbar-exposed`: Flask-DebugToolbar reachable in production.
//! This file holds the rule's documentation and its dependency half
//! (flask-debugtoolbar declared as a production dependency); the findings come
//! from [`crate::deps`] through `vulnerable_dependency::check_dependency_file`.

use crate::analysis::diagnostic::{Diagnostic, Fix};
use crate::analysis::registry::Rule;
use crate::analysis::rules::vulnerable_dependency::{engine_edits, text_range};
use crate::deps::DepFinding;

/// The rule's documentation, printed by `flask-harden rule FH107`.
pub const DOC: &str = r#"## What it does
Finds Flask-DebugToolbar that can run in production: `DebugToolbarExtension(app)`
or `toolbar.init_app(app)` not guarded by a debug/development check,
`DEBUG_TB_ENABLED = True` outside development configuration, and
`flask-debugtoolbar` declared as a production dependency: in `requirements.txt`,
`requirements/base*.txt`, `requirements/prod*.txt`, `[project].dependencies` or
`[tool.poetry.dependencies]` of `pyproject.toml`.

Development files and groups are fine: `requirements-dev*.txt`,
`requirements/dev*.txt`, `requirements/test*.txt`, and extras or dependency
groups named `dev`, `test`, `lint` or `docs`.

## Why is this bad?
The toolbar shows the application's configuration (including `SECRET_KEY` and
database URLs), every SQL query, request headers and cookies, and template
context to whoever loads a page. Shipping it as a production dependency makes
it one configuration mistake away from being switched on.

## Example
```text
# requirements.txt
flask==3.1.3
flask-debugtoolbar==0.16.0
```

Use instead:
```text
# requirements.txt
flask==3.1.3

# requirements-dev.txt
-r requirements.txt
flask-debugtoolbar==0.16.0
```

## Fix safety
The fix is safe: the dependency moves, unchanged, from the production list to
the development one (`requirements-dev.txt`, created with
`-r requirements.txt` when missing; `requirements/dev.txt` beside
`requirements/base.txt`; `[dependency-groups].dev` or an existing `dev` extra in
`pyproject.toml`; Poetry's `dev` group). Development installs keep the toolbar;
production installs no longer get it. Code that imports it unconditionally must
be guarded behind the debug check, which the code half of this rule reports.

## References
- CWE-489: Active Debug Code, https://cwe.mitre.org/data/definitions/489.html
- OWASP Top 10 A05:2021 Security Misconfiguration, https://owasp.org/Top10/A05_2021-Security_Misconfiguration/
- Flask-DebugToolbar, https://flask-debugtoolbar.readthedocs.io/
- PEP 735 dependency groups, https://peps.python.org/pep-0735/
"#;

/// The FH107 diagnostic for flask-debugtoolbar in production dependencies.
/// In `pyproject.toml` the fix carries the edits; in a requirements file it
/// also writes the development file, which `fix` does through
/// [`crate::deps::move_debug_toolbar_to_development`] (the edits are left empty).
pub(crate) fn dependency_diagnostic(finding: &DepFinding) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        Rule::DebugToolbarExposed,
        text_range(&finding.range),
        finding.message.clone(),
    );
    if let Some(fix) = &finding.fix {
        let edits = if fix.dev_file.is_some() {
            Vec::new()
        } else {
            engine_edits(&fix.edits)
        };
        diagnostic = diagnostic.with_fix(Fix::safe(fix.message.clone(), edits));
    }
    diagnostic
}
