//! FH101 `debug-mode-enabled`: Flask debug mode or the Werkzeug interactive
//! debugger switched on outside development configuration.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::checker::Checker;
use crate::analysis::codes::{Rule, RuleSet};
use crate::analysis::config_values::{ConfigSetting, SettingForm, is_truthy_literal};
use crate::analysis::diagnostic::{Diagnostic, Edit, Fix};
use crate::analysis::discovery::TextFileKind;
use crate::analysis::imports::ensure_import;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;
use crate::analysis::source::SourceFile;

/// The rule's documentation, printed by `flask-harden rule FH101`.
pub const DOC: &str = r#"## What it does
Finds Flask debug mode and the Werkzeug interactive debugger switched on in code
that can run in production: `app.run(debug=True)`, `app.debug = True`,
`DEBUG = True` at module level or in a configuration class,
`app.config["DEBUG"] = True`, `app.config.update(DEBUG=True)`,
`from_mapping(DEBUG=True)`, `use_debugger=True`, `use_evalex=True`,
`DebuggedApplication(app, evalex=True)`, and `FLASK_DEBUG=1` or
`FLASK_ENV=development` in a committed `.flaskenv`.

Development configuration is exempt: a class whose name has the word `Dev`,
`Develop(ment)`, `Local` or `Test(s/ing)` (`DevelopmentConfig`, not `DeviceConfig`), a module named like `development.py`, `dev.py`, `local.py`,
`testing.py` or `settings_dev.py`, and code under `if app.debug:` or another
debug/testing/development check. Test code is exempt.

## Why is this bad?
In debug mode a crash page offers the Werkzeug console: anyone who can reach the
application and trigger an error can run arbitrary Python code on the server
(the PIN is guessable from public machine data). Debug mode also leaks source
code and configuration in tracebacks and reloads code on file changes.

## Example
```python
app = Flask(__name__)
app.run(debug=True)

class Config:
    DEBUG = True
```

Use instead:
```python
import os

app = Flask(__name__)
app.run(debug=os.environ.get("FLASK_DEBUG") == "1")

class Config:
    DEBUG = os.environ.get("FLASK_DEBUG") == "1"

class DevelopmentConfig(Config):
    DEBUG = True
```

## Fix safety
The fix is safe: it replaces the literal with `os.environ.get("FLASK_DEBUG") == "1"`
(adding `import os` when needed), so debug mode is off unless the environment
explicitly turns it on. Developers set `FLASK_DEBUG=1` locally. In a committed
`.flaskenv` the value is set off (`FLASK_DEBUG=0`, `FLASK_ENV=production`);
Flask loads an untracked `.env` first and never overrides the environment, so a
developer's own `FLASK_DEBUG=1` still wins on their machine.

## References
- CWE-489: Active Debug Code, https://cwe.mitre.org/data/definitions/489.html
- OWASP Top 10 A05:2021 Security Misconfiguration, https://owasp.org/Top10/A05_2021-Security_Misconfiguration/
- Flask: Debug Mode, https://flask.palletsprojects.com/en/stable/quickstart/#debug-mode
- Werkzeug: Debugging Applications, https://werkzeug.palletsprojects.com/en/stable/debug/
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "debug-mode-enabled",
    fix: FixAvailability::Safe,
    cwe: "CWE-489",
    owasp: "A05:2021",
    owasp_title: "Security Misconfiguration",
    summary: "Flask debug mode or the Werkzeug debugger enabled outside development configuration",
    doc: Some(DOC),
    hooks: Hooks {
        assign: Some(check_stmt),
        call: Some(check_call),
        setting: Some(check_setting),
        text_file: Some(check_text_file),
        ..Hooks::NONE
    },
};

const ENV_EXPRESSION: &str = r#"os.environ.get("FLASK_DEBUG") == "1""#;

/// `app.debug = True`.
pub(crate) fn check_stmt<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt) {
    if checker.in_development_context() {
        return;
    }
    let Stmt::Assign(assign) = stmt else { return };
    for target in &assign.targets {
        let Expr::Attribute(attr) = target else {
            continue;
        };
        if attr.attr.as_str() == "debug"
            && checker.semantic().is_flask_app(&attr.value)
            && is_truthy_literal(&assign.value)
        {
            let message = "Flask debug mode is enabled by `debug = True`: the Werkzeug debugger lets anyone who can trigger an error run code on the server. Set it from the environment (`FLASK_DEBUG`), off by default";
            report(checker, assign.value.range(), assign.value.range(), message);
        }
    }
}

/// `app.run(debug=True)`, `use_debugger=True`, `use_evalex=True`,
/// `DebuggedApplication(app, evalex=True)`.
pub(crate) fn check_call(checker: &mut Checker, call: &ast::ExprCall) {
    // Only a truthy literal for one of these keywords is reported: most calls
    // end here, before any name is resolved.
    if !call.arguments.keywords.iter().any(|k| {
        k.arg.as_ref().is_some_and(|arg| {
            matches!(
                arg.as_str(),
                "debug" | "use_debugger" | "use_evalex" | "evalex"
            )
        }) && is_truthy_literal(&k.value)
    }) {
        return;
    }
    if checker.in_development_context() {
        return;
    }
    let Some((callee, qualified)) = checker.semantic().server_call(call) else {
        return;
    };
    let is_debugged_application = callee == "DebuggedApplication"
        || qualified
            .as_ref()
            .is_some_and(|q| q.last() == "DebuggedApplication");
    for keyword in &call.arguments.keywords {
        let Some(arg) = &keyword.arg else { continue };
        if !is_truthy_literal(&keyword.value) {
            continue;
        }
        let message = match (arg.as_str(), callee) {
            ("debug", "run") if runs_a_flask_app(checker, call) => {
                "Flask debug mode is enabled by `debug=True`: the Werkzeug debugger lets anyone who can trigger an error run code on the server. Use `debug=os.environ.get(\"FLASK_DEBUG\") == \"1\"` (off by default)"
            }
            ("use_debugger", _) => {
                "The Werkzeug interactive debugger is enabled by `use_debugger=True`: it allows remote code execution. Enable it only from an explicit environment variable, off by default"
            }
            ("use_evalex", _) => {
                "The Werkzeug debugger console is enabled by `use_evalex=True`: it allows remote code execution. Enable it only from an explicit environment variable, off by default"
            }
            ("evalex", _) if is_debugged_application => {
                "`DebuggedApplication(..., evalex=True)` exposes an interactive Python console in the browser. Wrap the app only when an explicit environment variable asks for it, off by default"
            }
            _ => continue,
        };
        report(checker, keyword.range(), keyword.value.range(), message);
    }
}

/// Whether `X.run(debug=True)` starts a Flask (or Flask-SocketIO) server: the
/// receiver is a Flask application or an application-like name (`app`,
/// `application`, `*_app`, `create_app()`), and not a name bound to a literal
/// (`app = 1`). A bare `run(...)` and `foo.run(...)` are something else.
fn runs_a_flask_app(checker: &Checker, call: &ast::ExprCall) -> bool {
    let Expr::Attribute(attr) = &*call.func else {
        return false;
    };
    let semantic = checker.semantic();
    let receiver = &*attr.value;
    if let Some(callee) = semantic.instance_of(receiver)
        && callee.is_any(&["flask_socketio.SocketIO"])
    {
        return true;
    }
    match receiver {
        Expr::Name(name) => {
            if semantic
                .assigned_value(name.id.as_str())
                .is_some_and(|value| {
                    !matches!(value, Expr::Call(_) | Expr::Attribute(_) | Expr::Name(_))
                })
            {
                return false;
            }
            semantic.is_flask_app(receiver) || app_like(name.id.as_str())
        }
        Expr::Attribute(_) => semantic.is_flask_app(receiver),
        Expr::Call(inner) => {
            semantic.is_flask_app(receiver)
                || matches!(&*inner.func, Expr::Name(n) if n.id.as_str().to_ascii_lowercase().contains("app"))
                || matches!(&*inner.func, Expr::Attribute(a) if a.attr.as_str().to_ascii_lowercase().contains("app"))
        }
        _ => false,
    }
}

/// `app`, `application`, `*_app` (`app = create_app()` with the factory imported
/// from the project).
fn app_like(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "app" || lower == "application" || lower.ends_with("_app")
}

/// The non-Python inputs: only `.flaskenv` files.
fn check_text_file(kind: TextFileKind, source: &SourceFile, _rules: RuleSet) -> Vec<Diagnostic> {
    match kind {
        TextFileKind::Flaskenv => check_flaskenv(source),
        TextFileKind::Requirements | TextFileKind::Pyproject => Vec::new(),
    }
}

/// `FLASK_DEBUG=1` / `FLASK_ENV=development` in a committed `.flaskenv`.
fn check_flaskenv(source: &SourceFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let text = source.text();
    let mut offset = 0usize;
    for raw_line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let content = line.trim_start_matches('\u{feff}');
        let trimmed = content.trim_start();
        if trimmed.starts_with('#') {
            continue;
        }
        let body = trimmed.strip_prefix("export ").unwrap_or(trimmed);
        let Some((key, value)) = body.split_once('=') else {
            continue;
        };
        let value = value
            .split(" #")
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\'']);
        let key = key.trim();
        let hit = match key {
            "FLASK_DEBUG" => matches!(
                value.to_ascii_lowercase().as_str(),
                "1" | "true" | "yes" | "on"
            ),
            "FLASK_ENV" => value.eq_ignore_ascii_case("development"),
            _ => false,
        };
        if !hit {
            continue;
        }
        let lead = line.len() - body.len();
        let start = u32::try_from(line_start + lead).unwrap_or(u32::MAX);
        let end = u32::try_from(line_start + line.len()).unwrap_or(u32::MAX);
        let message = format!(
            "`{key}={value}` in a committed .flaskenv turns on debug mode wherever the project runs (including `flask run` in production). Set it off here and turn it on locally in an untracked `.env`"
        );
        // The value as written (after `=`, before a comment, without quotes).
        let after_eq = line.len() - body.len() + body.find('=').unwrap_or(0) + 1;
        let value_at = line[after_eq..]
            .find(value)
            .map(|i| line_start + after_eq + i);
        let off = if key == "FLASK_DEBUG" {
            "0"
        } else {
            "production"
        };
        let mut diagnostic = Diagnostic::new(
            Rule::DebugModeEnabled,
            TextRange::new(start.into(), end.into()),
            message,
        );
        if let Some(at) = value_at {
            let at = TextSize::try_from(at).unwrap_or_default();
            let range = TextRange::at(at, TextSize::of(value));
            diagnostic = diagnostic.with_fix(Fix::safe(
                format!(
                    "Set {key}={off} in .flaskenv (developers turn debug on in their own .env)"
                ),
                vec![Edit::replacement(off, range)],
            ));
        }
        out.push(diagnostic);
    }
    out
}

/// `DEBUG = True` in any configuration form.
pub(crate) fn check_setting(checker: &mut Checker, setting: &ConfigSetting) {
    if setting.key != "DEBUG"
        || !is_truthy_literal(setting.value)
        || checker.in_development_context()
    {
        return;
    }
    // `DEBUG = 1` at module or class level is often a log level, not Flask
    // configuration: require a Flask import or a config-like module or class.
    let plain_variable = matches!(
        setting.form,
        SettingForm::ModuleVariable | SettingForm::ClassAttribute
    );
    if plain_variable
        && !matches!(setting.value, Expr::BooleanLiteral(_))
        && !is_flask_configuration(checker)
    {
        return;
    }
    let written = match setting.form {
        SettingForm::Keyword => "`DEBUG=True`",
        SettingForm::Subscript => "`config[\"DEBUG\"] = True`",
        SettingForm::DictEntry | SettingForm::SetDefault => "a `\"DEBUG\": True` setting",
        SettingForm::ModuleVariable | SettingForm::ClassAttribute => "`DEBUG = True`",
        SettingForm::ObjectAttribute => "`settings.DEBUG = True` (loaded with `from_object`)",
    };
    let message = format!(
        "Flask debug mode is enabled by {written} outside development configuration: the Werkzeug debugger lets anyone who can trigger an error run code on the server. Read it from `FLASK_DEBUG` (off by default) and keep `DEBUG = True` only in a development config class"
    );
    report(
        checker,
        setting.finding_range(),
        setting.value.range(),
        &message,
    );
}

/// Whether the current module or class is Flask configuration: the module
/// imports Flask (or an extension), or its file or class is named like
/// configuration (`config.py`, `settings.py`, `class ProductionConfig`).
fn is_flask_configuration(checker: &Checker) -> bool {
    let config_like = |name: &str| {
        let lower = name.to_ascii_lowercase();
        lower.contains("config") || lower.contains("setting")
    };
    checker.semantic().imports_flask()
        || checker
            .source()
            .path()
            .file_stem()
            .and_then(|s| s.to_str())
            .is_some_and(config_like)
        || checker
            .semantic()
            .current_class()
            .is_some_and(|c| config_like(c.name.as_str()))
}

/// Reports a finding at `range` whose fix replaces the literal at `value` with
/// the environment lookup.
fn report(checker: &mut Checker, range: TextRange, value: TextRange, message: &str) {
    let mut edits = vec![Edit::replacement(ENV_EXPRESSION, value)];
    edits.extend(ensure_import(checker.module(), "os"));
    let fix = Fix::safe(
        "Read debug mode from the FLASK_DEBUG environment variable, off by default",
        edits,
    )
    .reading_env("FLASK_DEBUG");
    checker.report(Diagnostic::new(Rule::DebugModeEnabled, range, message).with_fix(fix));
}
