//! FH203 `missing-rate-limiting`: a Flask application without a Flask-Limiter
//! `Limiter` (project-level: the extensions pattern across modules counts).

use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::project::{Extension, ProjectModel};
use crate::analysis::registry::Rule;

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
Limiter(get_remote_address, app=app, default_limits=["120 per minute"])
```

## Fix safety
The fix is safe: it adds a `Limiter` keyed on the remote address with a
default of 120 requests per minute per view and client (not applied while
`app.testing`): a person reloading a page every second, or a page polling once
a second, never reaches it, while a script hammering one view does within the
minute. Authentication views deserve stricter limits of their own
(`@limiter.limit("10 per minute")` on login, register and password reset),
and behind a reverse proxy the client address must come from the proxy's
`X-Forwarded-For` (`ProxyFix`), else every user shares one counter. It sets `RATELIMIT_STORAGE_URI` from
the environment variable of that name unless the configuration already has one
(`memory://` by default; use Redis with several workers). It does not pass
`storage_uri=` to `Limiter`, which would override the configuration. Where it
goes: after `app = Flask(...)` and the configuration statements that follow it,
before `return app` in a factory, or, when the factory applies extensions
created in an extensions module (`db = SQLAlchemy()` there, `db.init_app(app)`
in the factory), as `limiter = Limiter(...)` in that module and
`limiter.init_app(app)` after the factory's last `init_app`. Imports are added
in isort order and `flask-harden fix` adds Flask-Limiter to the dependencies.
Behind a proxy, configure `ProxyFix` so the client address is right.

## References
- CWE-770: Allocation of Resources Without Limits or Throttling, https://cwe.mitre.org/data/definitions/770.html
- OWASP Top 10 A04:2021 Insecure Design, https://owasp.org/Top10/A04_2021-Insecure_Design/
- Flask-Limiter, https://flask-limiter.readthedocs.io/
"#;

/// One finding per application when no limiter is applied.
pub(crate) fn check_project(model: &ProjectModel) -> Vec<(usize, Diagnostic)> {
    if model.is_applied(Extension::Limiter)
        || model.modules.iter().any(|(_, f)| f.custom_rate_limit)
    {
        return Vec::new();
    }
    model.app_findings(Rule::MissingRateLimiting, "This Flask application has no rate limiting (no Flask-Limiter `Limiter`), so logins and expensive endpoints can be hammered. Add `Limiter(get_remote_address, app=app, default_limits=[...])` with storage from the environment", |file, app| model.extension_fix(file, app, Extension::Limiter))
}
