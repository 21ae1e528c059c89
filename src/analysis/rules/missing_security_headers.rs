//! FH202 `missing-security-headers`: a Flask application without flask-talisman
//! and without an `after_request` handler that sets the key security headers
//! (project-level: the extensions pattern across modules counts).

use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::project::{Extension, ProjectModel};
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;
use crate::analysis::rules::app_extension;

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
dependencies. HTTPS redirects and the Secure session cookie apply except while
`app.testing` (read on every request), so a test suite using the plain
`app.test_client()` keeps passing.

The Content-Security-Policy fits what the app serves. A JSON API (no
templates, no `render_template`) gets `default-src 'none'`,
`frame-ancestors 'none'` and `Referrer-Policy: no-referrer`. An app with
templates gets a policy derived from them: every Jinja template of the project
(its `templates/` folders, the app's and blueprints' `template_folder=`,
`FileSystemLoader(...)` folders) and the scripts and stylesheets of its
`static/` folders are read, and each external origin a page loads goes into the
directive that governs it (`script-src`, `style-src`, `img-src`, `font-src`,
`connect-src` for `fetch`/XHR/WebSocket URLs, `frame-src`, `media-src`,
`form-action`, ...), on top of `default-src 'self'`, `object-src 'none'`,
`base-uri 'self'` and `frame-ancestors 'none'` (`'self'` when a page frames the
app's own pages). The helper macros of the popular extensions are known:
Bootstrap-Flask's `bootstrap.load_css()`/`load_js()` (jsDelivr, and `data:`
images for Bootstrap's form controls), Flask-Bootstrap's `bootstrap/base.html`
(cdnjs), Flask-Moment's `moment.include_moment()` (cdnjs plus an inline
script), Flask-CKEditor, Flask-Dropzone and Flask-WTF's reCAPTCHA.

Inline `<script>` and `<style>` blocks get `nonce="{{ csp_nonce() }}"` and the
policy lists them in Talisman's `content_security_policy_nonce_in`; a macro
that writes inline scripts itself (`moment.include_moment()`) is piped through
a filter that gives its `<script>` tags the nonce. These template edits are part
of the same remediation: shown in its diff, applied with it or not at all.
Templates under a `mail` folder are left alone (rendered outside requests).
`style="..."` attributes are allowed with `style-src-attr 'unsafe-inline'`: a
stated trade-off, since inline styles run no code; `script-src` never gets
`'unsafe-inline'` or `'unsafe-eval'`.

What cannot be proven keeps its directive out of the enforced policy and in a
`Content-Security-Policy-Report-Only` header (an `after_request` hook with the
whole derived policy and the request's nonce): inline event handlers
(`onclick="..."`), `javascript:` URLs and code run from strings leave
`script-src` (and `default-src`, whose fallback would block them) out of the
enforced policy while every other directive is enforced; a URL built at run
time (`<img src="{{ item.photo }}">`) widens only its own directive
(`img-src * data: blob:`, `'self' https:` for the others). The fix message
names the template lines that keep each directive from being enforced: move
handlers into nonce'd scripts (`addEventListener`) and the policy can be
enforced whole.

## References
- CWE-693: Protection Mechanism Failure, https://cwe.mitre.org/data/definitions/693.html
- OWASP Top 10 A05:2021 Security Misconfiguration, https://owasp.org/Top10/A05_2021-Security_Misconfiguration/
- OWASP Secure Headers Project, https://owasp.org/www-project-secure-headers/
- flask-talisman, https://github.com/wntrblm/flask-talisman
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "missing-security-headers",
    fix: FixAvailability::Safe,
    cwe: "CWE-693",
    owasp: "A05:2021",
    owasp_title: "Security Misconfiguration",
    summary: "A Flask application without flask-talisman or equivalent security headers",
    doc: Some(DOC),
    hooks: Hooks {
        project: Some(check_project),
        ..Hooks::NONE
    },
};

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
    app_extension::findings(model, &app_extension::SECURITY_HEADERS, &message)
}
