//! FH203 `missing-rate-limiting`: a Flask application without a Flask-Limiter
//! `Limiter` (project-level: the extensions pattern across modules counts).

use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::project::{Extension, ProjectModel};
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;
use crate::analysis::rules::app_extension;

/// The rule's documentation, printed by `flask-harden rule FH203`.
pub const DOC: &str = r#"## What it does
Reports a Flask application (at the `Flask(...)` call) when the project never
applies a Flask-Limiter `Limiter` to it: neither `Limiter(key_func, app=app)` nor
`limiter = Limiter(...)` in one module and `limiter.init_app(app)` in another.
A project that limits its views with a rate-limit decorator of its own
(`@rate_limit(...)`, `@throttle(...)`, the `ratelimit` package's `@limits`) is
not reported.
Applications created in test code are not reported.

## Why is this bad?
Without rate limits one client can brute-force logins and password resets,
enumerate accounts, scrape data or exhaust workers and the database with cheap
requests. Limits keyed on the client address make these attacks slow and
visible.

## Example
```python
app = Flask(__name__)
```

Use instead:
```python
import os

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

app = Flask(__name__)
app.config.setdefault(
    "RATELIMIT_STORAGE_URI", os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
)
limiter = Limiter(get_remote_address, app=app, default_limits=["120 per minute"])
```

## Fix safety
The fix is safe. It adds `limiter = Limiter(get_remote_address, app=app,
default_limits=["120 per minute"], headers_enabled=True, ...)`: 120 requests a
minute per view and client address (not while `app.testing`). Flask-Limiter
counts each view separately, so a person reloading a page every second, or a
page polling an endpoint once a second, never reaches it, while a script
hammering one view does within the minute. Rate-limit headers tell clients
their budget.

Authentication views get stricter limits in a `before_request` hook that needs
no change to the views: a POST to a route or endpoint named like `login`,
`signin`/`sign-in`, `signup`/`sign-up`, `register`, `token`, `reset`,
`forgot`, `password`, `otp`, `2fa`, `mfa`, `verify`, or to a view that calls
`check_password_hash`, `verify_password`, `check_password` or `checkpw`
(`bcrypt.check_password_hash` included), is limited to 10 a minute per client
address, and to 10 a minute and 50 an hour per account (the submitted
`username`, `email`, `login`, `user` or `account` field, from the form or the
JSON body, lower-cased). A person mistyping a password a few times is never
held up; a burst of 30 guesses meets 429 after the tenth; guesses against one
account spread over many addresses meet 429 too. Counts use the Limiter's
storage (`RATELIMIT_STORAGE_URI` from the environment, `memory://` by default;
use Redis with several workers; the configuration wins when it sets one).

Client identity behind proxies: an existing `ProxyFix` is kept; otherwise the
fix adds `ProxyFix(app.wsgi_app, x_for=n, x_proto=n)` when
`TRUSTED_PROXIES=n` is set to the number of reverse proxies in front of the
app. The default, 0, trusts no forwarded header: a client's own
`X-Forwarded-For` never changes its address or resets its count. Behind a
proxy without it every client shares the proxy's address; when the project
shows one (Procfile, Dockerfile, docker-compose, nginx files, gunicorn's
`forwarded_allow_ips`) the fix message says to set `TRUSTED_PROXIES`.

Where it goes: after `app = Flask(...)` and the configuration statements that
follow it (the hook at the end of the module), before `return app` in a
factory, or, when the factory applies extensions created in an extensions
module, as `limiter = Limiter(...)` in that module and `limiter.init_app(app)`
plus the hook after the factory's last `init_app`. Imports are added in isort
order (wrapped to the project's line length) and `flask-harden fix` adds
Flask-Limiter to the dependencies.

## References
- CWE-770: Allocation of Resources Without Limits or Throttling, https://cwe.mitre.org/data/definitions/770.html
- OWASP Top 10 A04:2021 Insecure Design, https://owasp.org/Top10/A04_2021-Insecure_Design/
- Flask-Limiter, https://flask-limiter.readthedocs.io/
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "missing-rate-limiting",
    fix: FixAvailability::Safe,
    cwe: "CWE-770",
    owasp: "A04:2021",
    owasp_title: "Insecure Design",
    summary: "A Flask application without a Flask-Limiter rate limiter",
    doc: Some(DOC),
    hooks: Hooks {
        project: Some(check_project),
        ..Hooks::NONE
    },
};

/// One finding per application when no limiter is applied.
pub(crate) fn check_project(model: &ProjectModel) -> Vec<(usize, Diagnostic)> {
    if model.is_applied(Extension::Limiter)
        || model.modules.iter().any(|(_, f)| f.custom_rate_limit)
    {
        return Vec::new();
    }
    app_extension::findings(
        model,
        &app_extension::RATE_LIMITING,
        "This Flask application has no rate limiting (no Flask-Limiter `Limiter`), so logins and expensive endpoints can be hammered. Add `Limiter(get_remote_address, app=app, default_limits=[...])` with storage from the environment",
    )
}
