//! FH102 `hardcoded-secret`: secret keys, salts and database passwords written
//! as literals in the code. Secret literals are always marked for masking, even
//! when the rule is disabled or suppressed.

use std::sync::LazyLock;

use regex::Regex;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::Checker;
use crate::analysis::codes::Rule;
use crate::analysis::config_values::{
    ConfigSetting, app_secret_key_value, environment_lookup, environment_lookup_call,
};
use crate::analysis::diagnostic::{Diagnostic, Edit, Fix};
use crate::analysis::imports::ensure_import;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;

/// The rule's documentation, printed by `flask-harden rule FH102`.
pub const DOC: &str = r#"## What it does
Finds secrets written into the code: a string or bytes literal given to
`SECRET_KEY`, `JWT_SECRET_KEY`, `SECURITY_PASSWORD_SALT`, `WTF_CSRF_SECRET_KEY` or
`app.secret_key`, in any form (module or class attribute, `app.config[...]`,
`config.update(...)`, `from_mapping(...)`); a literal fallback such as
`os.environ.get("SECRET_KEY", "dev")` or `os.getenv("API_TOKEN", "x")`; and a
password embedded in `SQLALCHEMY_DATABASE_URI` (or `SQLALCHEMY_BINDS`).
Reports and snippets never show the secret: it is masked. Test code is exempt.

## Why is this bad?
Anyone who can read the repository (every developer, CI system, leaked backup or
public fork) gets the key. With Flask's `SECRET_KEY` they can forge session
cookies and log in as any user; with a JWT key they can mint tokens; with the
database password they own the data. A literal fallback is just as bad: when the
variable is missing in production the app silently runs with the public value.

## Example
```python
app.config["SECRET_KEY"] = "change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", "dev")
SQLALCHEMY_DATABASE_URI = "postgresql://app:hunter2@db/app"
```

Use instead:
```python
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY")
SECRET_KEY = os.environ.get("SECRET_KEY")
SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
# where the app is created, after its configuration:
if not app.config.get("SECRET_KEY"):
    if (
        app.debug
        or app.testing
        or "pytest" in sys.modules
        or "unittest" in sys.modules
    ):
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        app.logger.warning(
            "SECRET_KEY is not set: using a random key for this process"
            " (development and tests only)"
        )
    else:
        raise RuntimeError(
            "SECRET_KEY is not set: export it where the app runs"
            " (see .env.example)"
        )
```

## Fix safety
The fix is safe: it reads the value from the environment with
`os.environ.get("NAME")`, so importing the module never fails (a config module
with test and production classes still imports everywhere), and adds a
start-up check where the project's application is created, after every
configuration source (`from_object`, `from_pyfile`, instance config, a test
config mapping): when the key is still missing, production refuses to start
with a clear `RuntimeError`, while debug mode, `app.testing` and a pytest or
unittest run (a module-level app is created when the tests import it, before
they can set `TESTING`) get a random per-process key with a warning, so a fresh checkout's test suite
runs without exporting anything. A comment on the replaced line that asked for
the change (`# TODO: change me`) is removed. Test configuration (a class that
sets `TESTING = True` or is named for tests) is not reported. It adds
`import os` (and `secrets`, `sys` for the check) when needed. `flask-harden fix` also adds the name to `.env.example` and makes
sure `.env` is git-ignored. Rotate any secret that was ever committed: removing
it from the code does not remove it from the history.

## References
- CWE-798: Use of Hard-coded Credentials, https://cwe.mitre.org/data/definitions/798.html
- OWASP Top 10 A07:2021 Identification and Authentication Failures, https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/
- Flask: SECRET_KEY, https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "hardcoded-secret",
    fix: FixAvailability::Safe,
    cwe: "CWE-798",
    owasp: "A07:2021",
    owasp_title: "Identification and Authentication Failures",
    summary: "A secret key, salt or database password written as a literal in the code",
    doc: Some(DOC),
    hooks: Hooks {
        // Runs even when the rule is disabled: it marks secret literals so that
        // every output masks them.
        always: true,
        assign: Some(check_stmt),
        call: Some(check_call),
        setting: Some(check_setting),
        ..Hooks::NONE
    },
};

const SECRET_SETTINGS: &[&str] = &[
    "SECRET_KEY",
    "JWT_SECRET_KEY",
    "SECURITY_PASSWORD_SALT",
    "WTF_CSRF_SECRET_KEY",
];
const URI_SETTINGS: &[&str] = &[
    "SQLALCHEMY_DATABASE_URI",
    "SQLALCHEMY_BINDS",
    "DATABASE_URL",
    "DATABASE_URI",
];

static URI_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:([^@\s]+)@").expect("valid regex")
});

/// `app.secret_key = ...`.
pub(crate) fn check_stmt<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt) {
    if let Some(value) = app_secret_key_value(checker.semantic(), stmt) {
        check_secret_value(checker, "SECRET_KEY", "app.secret_key", value);
    }
}

/// Literal fallbacks of secret-looking environment variables.
pub(crate) fn check_call(checker: &mut Checker, call: &ast::ExprCall) {
    let Some(lookup) = environment_lookup_call(checker.semantic(), call) else {
        return;
    };
    let (Some(key), Some(default)) = (lookup.key, lookup.default) else {
        return;
    };
    if !is_secret_name(key) || !is_nonempty_literal(default) {
        return;
    }
    report_fallback(checker, key, call.range(), default);
}

/// The values of secret-like names in a `.flaskenv` / `.env` file
/// (`SECRET_KEY=...`, `MAIL_PASSWORD=...`): masked wherever the file is shown,
/// diff context included.
pub fn env_file_secrets(source: &crate::analysis::source::SourceFile) -> Vec<TextRange> {
    let text = source.text();
    let mut out = Vec::new();
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        let body = trimmed.strip_prefix("export ").unwrap_or(trimmed);
        let Some((name, value)) = body.split_once('=') else {
            continue;
        };
        if value.trim().is_empty() || !is_secret_name(name.trim()) {
            continue;
        }
        let value_start = start + (content.len() - value.len());
        let value_end = start + content.len();
        if let (Ok(a), Ok(b)) = (
            ruff_text_size::TextSize::try_from(value_start),
            ruff_text_size::TextSize::try_from(value_end),
        ) {
            out.push(TextRange::new(a, b));
        }
    }
    out
}

/// Secret and database-URI settings in any configuration form; the literal
/// value of any other secret-like name (`AWS_SECRET_ACCESS_KEY`,
/// `MAIL_PASSWORD`, `API_KEY`) is masked in every output, without a finding.
pub(crate) fn check_setting(checker: &mut Checker, setting: &ConfigSetting) {
    if !SECRET_SETTINGS.contains(&setting.key)
        && !URI_SETTINGS.contains(&setting.key)
        && is_secret_name(setting.key)
        && is_nonempty_literal(setting.value)
    {
        checker.mark_secret(literal_range(setting.value));
        return;
    }
    if SECRET_SETTINGS.contains(&setting.key) {
        check_secret_value(checker, setting.key, setting.key, setting.value);
    } else if URI_SETTINGS.contains(&setting.key) {
        check_uri(checker, setting.key, setting.value);
    }
}

/// Whether the setting is written in test configuration: a class that sets
/// `TESTING = True` or is named for tests (`TestingConfig`, `TestConfig`).
fn in_test_configuration(checker: &Checker) -> bool {
    let Some(class) = checker.semantic().class_body() else {
        return false;
    };
    class.name.as_str().to_ascii_lowercase().contains("test")
        || class.body.iter().any(|stmt| {
            matches!(stmt, Stmt::Assign(assign)
                if matches!(&assign.targets[..], [Expr::Name(n)] if n.id.as_str() == "TESTING")
                    && matches!(&*assign.value, Expr::BooleanLiteral(b) if b.value))
        })
}

/// A secret setting's value: a literal, a literal fallback, or `x or "literal"`.
fn check_secret_value(checker: &mut Checker, key: &str, shown: &str, value: &Expr) {
    if is_nonempty_literal(value) {
        let literal = literal_range(value);
        checker.mark_secret(literal);
        if in_test_configuration(checker) {
            return;
        }
        let message = format!(
            "`{shown}` is hard-coded in the source (value masked): anyone with the code can forge sessions or tokens. Read it from the environment (`os.environ.get(\"{key}\")`) and refuse to start in production when it is missing, list `{key}` in `.env.example`, keep `.env` out of git, and rotate the exposed key"
        );
        let fix = env_fix(checker, key, value.range());
        checker.report(Diagnostic::new(Rule::HardcodedSecret, literal, message).with_fix(fix));
        return;
    }
    if let Some(lookup) = environment_lookup(checker.semantic(), value)
        && let Some(default) = lookup.default
        && is_nonempty_literal(default)
    {
        report_fallback(checker, lookup.key.unwrap_or(key), value.range(), default);
        return;
    }
    if let Expr::BoolOp(op) = value
        && op.op == ast::BoolOp::Or
        && let Some(last) = op.values.last()
        && is_nonempty_literal(last)
    {
        let env_key = op
            .values
            .iter()
            .find_map(|v| environment_lookup(checker.semantic(), v).and_then(|l| l.key))
            .unwrap_or(key);
        report_fallback(checker, env_key, value.range(), last);
    }
}

fn report_fallback(checker: &mut Checker, key: &str, whole: TextRange, default: &Expr) {
    let literal = literal_range(default);
    checker.mark_secret(literal);
    let message = format!(
        "`{key}` falls back to a hard-coded value (masked) when the environment variable is missing, so production can silently run with a public secret. Read it with `os.environ.get(\"{key}\")` and refuse to start in production when it is missing, and list `{key}` in `.env.example`"
    );
    let fix = env_fix(checker, key, whole);
    checker.report(Diagnostic::new(Rule::HardcodedSecret, literal, message).with_fix(fix));
}

/// A database URI (string or f-string, or the values of a binds dict) with a
/// literal password.
fn check_uri(checker: &mut Checker, key: &str, value: &Expr) {
    if let Expr::Dict(dict) = value {
        for item in &dict.items {
            check_uri(checker, key, &item.value);
        }
        return;
    }
    let text = match value {
        Expr::StringLiteral(s) => s.value.to_str().to_owned(),
        Expr::FString(f) => {
            let mut text = String::new();
            for element in f.value.elements() {
                match element {
                    ast::InterpolatedStringElement::Literal(l) => text.push_str(&l.value),
                    ast::InterpolatedStringElement::Interpolation(_) => text.push('\u{0}'),
                }
            }
            text
        }
        _ => return,
    };
    let Some(caps) = URI_PASSWORD.captures(&text) else {
        return;
    };
    let password = &caps[1];
    let placeholder = password.contains('\u{0}')
        || password.contains("${")
        || password.contains('%')
        || (password.starts_with('{') && password.ends_with('}'))
        || (password.starts_with('<') && password.ends_with('>'));
    if placeholder {
        return;
    }
    checker.mark_secret(value.range());
    let message = format!(
        "`{key}` embeds a database password in the source (masked). Read the whole URL from the environment with `os.environ.get(\"DATABASE_URL\")`, list it in `.env.example`, and rotate the password"
    );
    let fix = env_fix(checker, "DATABASE_URL", value.range());
    checker.report(Diagnostic::new(Rule::HardcodedSecret, value.range(), message).with_fix(fix));
}

/// Reads the value from the environment without failing at import
/// (`os.environ.get`): a module with test and production classes must still
/// import. The start-up check where the application is created (added by the
/// engine, see `Fix::startup_check`) refuses a missing key in production.
/// A comment left on the literal's line that asked to change it goes too.
fn env_fix(checker: &Checker, key: &str, range: TextRange) -> Fix {
    let mut edits = vec![Edit::replacement(
        format!("os.environ.get(\"{key}\")"),
        range,
    )];
    edits.extend(stale_comment(checker, range));
    edits.extend(ensure_import(checker.module(), "os"));
    let fix = Fix::safe(
        format!(
            "Read {key} from the environment; production refuses to start without it (checked where the app is created), development and tests get a random key; add it to .env.example and git-ignore .env"
        ),
        edits,
    )
    .reading_env(key);
    if is_checked_secret(key) {
        fix.with_startup_check(key)
    } else {
        fix
    }
}

fn is_checked_secret(key: &str) -> bool {
    crate::analysis::app_fixes::CHECKED_SECRETS.contains(&key)
}

/// `SECRET_KEY = "dev"  # TODO: change me`: the comment after the replaced
/// value on its line, when it asks for the change the fix makes.
fn stale_comment(checker: &Checker, range: TextRange) -> Option<Edit> {
    let text = checker.source().text();
    let end = range.end().to_usize();
    let line_end = text[end..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| end + i);
    let rest = &text[end..line_end];
    let hash = rest.find('#')?;
    if !rest[..hash].trim().is_empty() {
        return None;
    }
    let comment = rest[hash..].to_ascii_lowercase();
    let stale = [
        "change",
        "todo",
        "fixme",
        "replace",
        "insecure",
        "not secure",
        "dev key",
        "placeholder",
    ]
    .iter()
    .any(|w| comment.contains(w));
    stale.then(|| {
        Edit::replacement(
            String::new(),
            TextRange::new(
                range.end(),
                ruff_text_size::TextSize::try_from(line_end).unwrap_or(range.end()),
            ),
        )
    })
}

/// A non-empty string or bytes literal, possibly `.encode()`d, or one computed
/// from literals only: `"abc" + "def"`, `f"key-{1}"`, `"x" * 3`.
fn is_nonempty_literal(expr: &Expr) -> bool {
    fn constant(expr: &Expr) -> bool {
        match expr {
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_) => true,
            Expr::FString(f) => f
                .value
                .elements()
                .all(|e| e.as_interpolation().is_none_or(|i| constant(&i.expression))),
            Expr::BinOp(op) => constant(&op.left) && constant(&op.right),
            _ => false,
        }
    }
    match expr {
        Expr::StringLiteral(s) => !s.value.to_str().is_empty(),
        Expr::BytesLiteral(b) => b.value.bytes().next().is_some(),
        Expr::FString(f) => constant(expr) && f.value.elements().next().is_some(),
        Expr::BinOp(op) => {
            matches!(
                op.op,
                ast::Operator::Add | ast::Operator::Mult | ast::Operator::Mod
            ) && constant(expr)
                && (is_nonempty_literal(&op.left) || is_nonempty_literal(&op.right))
        }
        Expr::Call(call) => {
            matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "encode" && is_nonempty_literal(&a.value))
        }
        _ => false,
    }
}

/// The literal inside `expr` (the string of `"x".encode()`).
fn literal_range(expr: &Expr) -> TextRange {
    match expr {
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(a) => literal_range(&a.value),
            _ => expr.range(),
        },
        _ => expr.range(),
    }
}

/// Whether an environment variable name looks like it holds a secret.
pub fn is_secret_name(name: &str) -> bool {
    let name = name.as_bytes();
    [
        "SECRET",
        "SECRET_KEY",
        "PASSWORD",
        "PASSWD",
        "SALT",
        "TOKEN",
        "API_KEY",
        "PRIVATE_KEY",
        "ACCESS_KEY",
        "SIGNING_KEY",
    ]
    .iter()
    .any(|suffix| {
        // `suffix` or `..._suffix`, in any case (without allocating: this
        // runs for every setting of every module).
        let suffix = suffix.as_bytes();
        name.len() >= suffix.len()
            && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
            && (name.len() == suffix.len() || name[name.len() - suffix.len() - 1] == b'_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for name in [
            "SECRET_KEY",
            "JWT_SECRET_KEY",
            "DB_PASSWORD",
            "GITHUB_TOKEN",
            "STRIPE_API_KEY",
            "SECURITY_PASSWORD_SALT",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "TOKEN_EXPIRES",
            "DATABASE_URL",
            "CACHE_KEY_PREFIX",
            "DEBUG",
            "PASSWORD_RESET_TTL",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }
}
