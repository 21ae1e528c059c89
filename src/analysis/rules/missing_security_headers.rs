//! FH202 `missing-security-headers`: a Flask application without flask-talisman
//! and without an `after_request` handler that sets the key security headers
//! (project-level: the extensions pattern across modules counts).

use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::project::{Extension, ProjectModel};
use crate::analysis::registry::Rule;

/// The rule's documentation, printed by `flask-harden rule FH202`.
pub const DOC: &str = r#"## What it does
Reports a Flask application (at the `Flask(...)` call) when the project neither
applies flask-talisman (`Talisman(app)`, or `talisman = Talisman()` in one module
and `talisman.init_app(app)` in another) nor registers an `after_request`
handler that sets `Content-Security-Policy`, `Strict-Transport-Security` and
`X-Content-Type-Options`. Applications created in test code are not reported.

## Why is this bad?
Flask sends no security headers. Without HSTS browsers accept downgrades to
plain HTTP; without a Content-Security-Policy any injected script runs; without
`X-Content-Type-Options: nosniff` browsers may execute uploaded files as
scripts; without `frame-ancestors` the app can be framed for clickjacking.

## Example
```python
app = Flask(__name__)
```

Use instead:
```python
from flask_talisman import Talisman

app = Flask(__name__)
Talisman(app, content_security_policy={"default-src": "'none'", "frame-ancestors": "'none'"})
```

## Fix safety
The fix is safe: it applies Talisman where the application is complete (after
`app = Flask(...)` and the configuration statements that follow it, or before
`return app` inside a factory); when the factory applies extensions created in
an extensions module (`db = SQLAlchemy()` there, `db.init_app(app)` in the
factory), it adds `talisman = Talisman()` to that module and
`talisman.init_app(app, ...)` after the factory's last `init_app`. Imports are
added in isort order and `flask-harden fix` adds flask-talisman to the
dependencies. The policy follows what the app serves: `default-src 'none'` and
`Referrer-Policy: no-referrer` for a JSON API, a `'self'`-based policy when it
renders templates or has `templates/` or `static/` beside it. HTTPS redirects
and the Secure session cookie apply except while `app.testing` (read on every
request), so a test suite using the plain `app.test_client()` keeps passing.

## References
- CWE-693: Protection Mechanism Failure, https://cwe.mitre.org/data/definitions/693.html
- OWASP Top 10 A05:2021 Security Misconfiguration, https://owasp.org/Top10/A05_2021-Security_Misconfiguration/
- OWASP Secure Headers Project, https://owasp.org/www-project-secure-headers/
- flask-talisman, https://github.com/wntrblm/flask-talisman
"#;

const REQUIRED: &[(&str, &str)] = &[
    ("content-security-policy", "Content-Security-Policy"),
    ("strict-transport-security", "Strict-Transport-Security"),
    ("x-content-type-options", "X-Content-Type-Options"),
];

/// One finding per application when no header protection is set up.
pub(crate) fn check_project(model: &ProjectModel) -> Vec<(usize, Diagnostic)> {
    if model.is_applied(Extension::Talisman) {
        return Vec::new();
    }
    let headers = model.after_request_headers();
    let missing: Vec<&str> = REQUIRED
        .iter()
        .filter(|(lower, _)| !headers.contains(lower))
        .map(|(_, name)| *name)
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let message = format!(
        "This Flask application sends no {} header{}: it has no flask-talisman and no `after_request` handler setting them. Apply `Talisman(app, ...)` with a strict Content-Security-Policy where the app is created",
        missing.join(", "),
        if missing.len() == 1 { "" } else { "s" }
    );
    model.app_findings(Rule::MissingSecurityHeaders, &message, |file, app| {
        model.extension_fix(file, app, Extension::Talisman)
    })
}
