//! FH110 `sql-echo-enabled`: SQLAlchemy statement logging switched on in
//! production configuration (`SQLALCHEMY_ECHO = True`,
//! `SQLALCHEMY_RECORD_QUERIES = True`, `create_engine(..., echo=True)`); the
//! fix reads the switch from the environment, off by default.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::Checker;
use crate::analysis::codes::Rule;
use crate::analysis::config_values::{ConfigSetting, is_truthy_literal};
use crate::analysis::diagnostic::{Diagnostic, Edit, Fix};
use crate::analysis::imports::ensure_import;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;

/// The rule's documentation, printed by `flask-harden rule FH110`.
pub const DOC: &str = r#"## What it does
Finds SQLAlchemy statement logging switched on outside development and test
configuration: `SQLALCHEMY_ECHO = True` and `SQLALCHEMY_RECORD_QUERIES = True`
in any configuration form (module or class attribute, `app.config[...]`,
`update(...)`, `from_mapping(...)`), and `create_engine(..., echo=True)`
(also `echo="debug"`).

## Why is this bad?
With echo on, every statement is written to the log together with its bound
parameters: password hashes, e-mail addresses, tokens and whatever else the
application stores end up in log files and log services that many more people
and systems can read than the database. Recording queries keeps the same data
in memory for every request and costs time on each query.

## Example
```python
class ProductionConfig(Config):
    SQLALCHEMY_ECHO = True
```

Use instead:
```python
class ProductionConfig(Config):
    SQLALCHEMY_ECHO = os.environ.get("SQLALCHEMY_ECHO") == "1"

class DevelopmentConfig(Config):
    SQLALCHEMY_ECHO = True  # development only
```

## Fix safety
The fix is safe: the literal becomes `os.environ.get("SQLALCHEMY_ECHO") == "1"`
(`SQLALCHEMY_RECORD_QUERIES` for that setting, `SQLALCHEMY_ECHO` for
`create_engine(echo=...)`), adding `import os` when needed. Logging is off
unless the environment turns it on, so a developer who wants the SQL sets the
variable locally; nothing else about the engine changes.

## References
- CWE-532: Insertion of Sensitive Information into Log File, https://cwe.mitre.org/data/definitions/532.html
- OWASP Top 10 A09:2021 Security Logging and Monitoring Failures, https://owasp.org/Top10/A09_2021-Security_Logging_and_Monitoring_Failures/
- Flask-SQLAlchemy: Configuration, https://flask-sqlalchemy.readthedocs.io/en/stable/config/
- SQLAlchemy: `create_engine.echo`, https://docs.sqlalchemy.org/en/20/core/engines.html#sqlalchemy.create_engine.params.echo
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "sql-echo-enabled",
    fix: FixAvailability::Safe,
    cwe: "CWE-532",
    owasp: "A09:2021",
    owasp_title: "Security Logging and Monitoring Failures",
    summary: "SQLAlchemy echo or query recording on in production configuration",
    doc: Some(DOC),
    hooks: Hooks {
        call: Some(check_call),
        setting: Some(check_setting),
        ..Hooks::NONE
    },
};

/// The engine constructors whose `echo` argument logs statements.
const ENGINE_FACTORIES: &[&str] = &[
    "sqlalchemy.create_engine",
    "sqlalchemy.engine.create_engine",
    "sqlalchemy.ext.asyncio.create_async_engine",
];

/// `SQLALCHEMY_ECHO = True` / `SQLALCHEMY_RECORD_QUERIES = True` in any
/// configuration form.
pub(crate) fn check_setting(checker: &mut Checker, setting: &ConfigSetting) {
    let key = setting.key;
    if !matches!(key, "SQLALCHEMY_ECHO" | "SQLALCHEMY_RECORD_QUERIES")
        || !is_on(setting.value)
        || checker.in_development_context()
    {
        return;
    }
    let what = if key == "SQLALCHEMY_ECHO" {
        "logs every SQL statement with its parameters"
    } else {
        "records every SQL statement with its parameters for the whole request"
    };
    let message = format!(
        "`{key} = True` {what}: stored user data (password hashes, e-mail addresses, tokens) ends up in the logs. Read it from the environment, off by default, and keep it on only in a development config"
    );
    report(
        checker,
        setting.finding_range(),
        setting.value.range(),
        key,
        &message,
    );
}

/// `create_engine(..., echo=True)`.
pub(crate) fn check_call(checker: &mut Checker, call: &ast::ExprCall) {
    let Some(echo) = call.arguments.find_keyword("echo") else {
        return;
    };
    if !is_on(&echo.value)
        || !checker.semantic().resolves_to(&call.func, ENGINE_FACTORIES)
        || checker.in_development_context()
    {
        return;
    }
    let message = "`create_engine(..., echo=True)` logs every SQL statement with its parameters: stored user data (password hashes, e-mail addresses, tokens) ends up in the logs. Use `echo=os.environ.get(\"SQLALCHEMY_ECHO\") == \"1\"` (off by default)";
    report(
        checker,
        echo.range(),
        echo.value.range(),
        "SQLALCHEMY_ECHO",
        message,
    );
}

/// A literal that turns logging on: truthy, or SQLAlchemy's `"debug"` level.
fn is_on(value: &Expr) -> bool {
    is_truthy_literal(value)
        || matches!(value, Expr::StringLiteral(s) if s.value.to_str().eq_ignore_ascii_case("debug"))
}

/// Reports at `range`, with a fix replacing the literal at `value` by a lookup
/// of the environment variable `variable`.
fn report(
    checker: &mut Checker,
    range: TextRange,
    value: TextRange,
    variable: &str,
    message: &str,
) {
    let mut edits = vec![Edit::replacement(
        format!("os.environ.get(\"{variable}\") == \"1\""),
        value,
    )];
    edits.extend(ensure_import(checker.module(), "os"));
    let fix = Fix::safe(
        format!("Read the switch from the {variable} environment variable, off by default"),
        edits,
    )
    .reading_env(variable);
    checker.report(Diagnostic::new(Rule::SqlEchoEnabled, range, message).with_fix(fix));
}
