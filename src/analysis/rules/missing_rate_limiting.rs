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
Limiter(
    get_remote_address,
    app=app,
    default_limits=["200 per day", "50 per hour"],
    storage_uri=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
)
```

## Fix safety
The fix is safe: it adds a `Limiter` keyed on the remote address with default
limits (not applied while `app.testing`), storage from `RATELIMIT_STORAGE_URI` (`memory://` by default; use Redis
with several workers), the imports, and `flask-harden fix` adds Flask-Limiter to
the dependencies. Behind a proxy, configure `ProxyFix` so the client address is
right.

## References
- CWE-770: Allocation of Resources Without Limits or Throttling, https://cwe.mitre.org/data/definitions/770.html
- OWASP Top 10 A04:2021 Insecure Design, https://owasp.org/Top10/A04_2021-Insecure_Design/
- Flask-Limiter, https://flask-limiter.readthedocs.io/
"#;

/// One finding per application when no limiter is applied.
pub(crate) fn check_project(model: &ProjectModel) -> Vec<(usize, Diagnostic)> {
    if model.is_applied(Extension::Limiter) {
        return Vec::new();
    }
    model.app_findings(Rule::MissingRateLimiting, "This Flask application has no rate limiting (no Flask-Limiter `Limiter`), so logins and expensive endpoints can be hammered. Add `Limiter(get_remote_address, app=app, default_limits=[...])` with storage from the environment", |app| &app.limiter_fix)
}
