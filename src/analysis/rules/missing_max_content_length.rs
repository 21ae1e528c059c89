//! FH108 `missing-max-content-length`: a Flask application whose configuration
//! never sets `MAX_CONTENT_LENGTH` (project-level: every module's configuration counts).

use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::project::ProjectModel;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;
use crate::analysis::rules::app_extension;

/// The rule's documentation, printed by `flask-harden rule FH108`.
pub const DOC: &str = r#"## What it does
Reports a Flask application (at the `Flask(...)` call that creates it) when no
module of the project sets `MAX_CONTENT_LENGTH`: not a config class, not
`app.config[...]`, `update(...)`, `from_mapping(...)`, a settings module or
`FLASK_MAX_CONTENT_LENGTH` in `.flaskenv`. A variable passed to `update(...)` or
`from_mapping(...)` is resolved to the dict it is assigned (`SETTINGS = {...}`).
A mapping that cannot be resolved (a call result such as
`from_mapping(settings.flask_config())`, a function parameter, an imported
variable) is assumed to possibly set the limit, so the rule stays silent rather
than report a false positive; a test-override parameter
(`def create_app(test_config=None)`) does not count, it only matters in tests.

Configuration loaded from outside the analysed code may set the limit too, so
it also keeps the rule silent: `app.config.from_envvar(...)` (a file named by
an environment variable), `from_prefixed_env()` (`FLASK_MAX_CONTENT_LENGTH` in
the environment), `from_file(...)` (a JSON or TOML file), and
`from_pyfile(...)` unless it names, as a literal, a Python file that is in the
project beside the loading module: a computed or environment-given name, a
file that is not there (an instance folder, `/etc/...`), `silent=True` (the
file is optional, i.e. deployment configuration) or an application created
with `instance_relative_config=True` count as such a load. A Python file of
the project is analysed like every other module, so `from_pyfile("settings.py")`
is reported when `settings.py` does not set the limit either. Applications
created in test code are not reported.

## Why is this bad?
Without a limit Flask accepts request bodies of any size: a single client can
upload gigabytes, filling memory or the temporary directory and taking the
service down (for JSON and form bodies Flask reads everything into memory).

## Example
```python
app = Flask(__name__)
```

Use instead:
```python
app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024  # 16 MiB
```

## Fix safety
The fix is safe: it sets a limit where the application is complete (after
`app = Flask(...)` and the configuration statements that follow it, or before
`return app` in a factory), chosen with the project's views in mind: 16 MiB
when no view reads uploaded files, 100 MiB when views read `request.files`,
512 MiB when a view that reads them imports, backs up or restores data (its
name or route says `import`, `backup`, `restore`, `dump`, `archive` or
`bulk`). The fix message says which and why.
Requests above it get `413 Request Entity Too Large`; raise the value where the
application legitimately accepts bigger uploads.

## References
- CWE-770: Allocation of Resources Without Limits or Throttling, https://cwe.mitre.org/data/definitions/770.html
- OWASP Top 10 A05:2021 Security Misconfiguration, https://owasp.org/Top10/A05_2021-Security_Misconfiguration/
- Flask: MAX_CONTENT_LENGTH, https://flask.palletsprojects.com/en/stable/config/#MAX_CONTENT_LENGTH
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "missing-max-content-length",
    fix: FixAvailability::Safe,
    cwe: "CWE-770",
    owasp: "A05:2021",
    owasp_title: "Security Misconfiguration",
    summary: "A Flask application with no MAX_CONTENT_LENGTH request-size limit",
    doc: Some(DOC),
    hooks: Hooks {
        project: Some(check_project),
        ..Hooks::NONE
    },
};

/// One finding per application when the project never sets the limit.
pub(crate) fn check_project(model: &ProjectModel) -> Vec<(usize, Diagnostic)> {
    if model.has_config_key("MAX_CONTENT_LENGTH") || model.has_opaque_config_load() {
        return Vec::new();
    }
    app_extension::findings(
        model,
        &app_extension::MAX_CONTENT_LENGTH,
        "This Flask application has no `MAX_CONTENT_LENGTH` anywhere in its configuration, so it accepts request bodies of any size. Set a bound such as `app.config[\"MAX_CONTENT_LENGTH\"] = 16 * 1024 * 1024`",
    )
}
