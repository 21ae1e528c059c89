//! FH403 `jwt-no-expiry`: JWTs that never expire or whose access tokens live
//! longer than 24 hours.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use crate::analysis::checker::Checker;
use crate::analysis::codes::Rule;
use crate::analysis::config_values::ConfigSetting;
use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;
use crate::analysis::semantic::SemanticModel;

/// The rule's documentation, printed by `flask-harden rule FH403`.
pub const DOC: &str = r#"## What it does
Finds Flask-JWT-Extended settings that make tokens live forever or too long:
`JWT_ACCESS_TOKEN_EXPIRES = False`, an access-token lifetime over 24 hours
(`timedelta(days=7)`, `timedelta(hours=36)`, or more than 86400 seconds), and
`JWT_REFRESH_TOKEN_EXPIRES = False`, in any configuration form (module setting,
config class, `app.config[...]`, `update()`, `from_mapping()`).

Development configuration is exempt: a class whose name has the word `Dev`,
`Develop(ment)`, `Local` or `Test(s/ing)` (`DevelopmentConfig`, not `DeviceConfig`), a development module (`dev.py`, `settings_dev.py`, ...), or
code under a debug/testing/development check.

## Why is this bad?
An access token cannot be revoked without extra machinery: a stolen token (from
a log, a browser extension, a proxy) keeps working until it expires. Short-lived
access tokens with refresh tokens limit the damage; tokens that never expire
turn every leak into permanent access.

## Example
```python
class Config:
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(days=7)
    JWT_REFRESH_TOKEN_EXPIRES = False
```

Use instead:
```python
class Config:
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=15)
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=30)
```

## Fix safety
There is no automatic fix: shortening lifetimes makes clients refresh tokens,
which they must support.

## References
- CWE-613: Insufficient Session Expiration, https://cwe.mitre.org/data/definitions/613.html
- OWASP Top 10 A07:2021 Identification and Authentication Failures, https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/
- Flask-JWT-Extended: JWT_ACCESS_TOKEN_EXPIRES, https://flask-jwt-extended.readthedocs.io/en/stable/options.html#JWT_ACCESS_TOKEN_EXPIRES
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "jwt-no-expiry",
    fix: FixAvailability::None,
    cwe: "CWE-613",
    owasp: "A07:2021",
    owasp_title: "Identification and Authentication Failures",
    summary: "JWTs that never expire or live longer than 24 hours",
    doc: Some(DOC),
    hooks: Hooks {
        setting: Some(check_setting),
        ..Hooks::NONE
    },
};

const DAY: f64 = 86_400.0;

/// Token lifetimes in a statement (`JWT_ACCESS_TOKEN_EXPIRES = False`) or
/// an `update()` / `from_mapping()` call, outside development configuration.
pub(crate) fn check_setting(checker: &mut Checker, setting: &ConfigSetting) {
    if checker.in_development_context() {
        return;
    }
    let never = matches!(setting.value, Expr::BooleanLiteral(b) if !b.value);
    let message = match setting.key {
        "JWT_ACCESS_TOKEN_EXPIRES" if never => {
            "`JWT_ACCESS_TOKEN_EXPIRES = False` issues access tokens that never expire: a leaked token grants access forever. Use a short lifetime such as `timedelta(minutes=15)` with refresh tokens".to_owned()
        }
        "JWT_ACCESS_TOKEN_EXPIRES" => {
            let Some(seconds) = lifetime_seconds(checker.semantic(), setting.value) else {
                return;
            };
            if seconds <= DAY {
                return;
            }
            format!(
                "Access tokens live {}: a leaked token stays valid that long. Keep access tokens under 24 hours (15 minutes is common) and use refresh tokens",
                describe(seconds)
            )
        }
        "JWT_REFRESH_TOKEN_EXPIRES" if never => {
            "`JWT_REFRESH_TOKEN_EXPIRES = False` issues refresh tokens that never expire: a leaked refresh token mints access tokens forever. Give them a bounded lifetime such as `timedelta(days=30)`".to_owned()
        }
        _ => return,
    };
    checker.report(Diagnostic::new(
        Rule::JwtNoExpiry,
        setting.value.range(),
        message,
    ));
}

/// The lifetime in seconds of `timedelta(...)` or an integer number of seconds.
fn lifetime_seconds(semantic: &SemanticModel, expr: &Expr) -> Option<f64> {
    match expr {
        Expr::Call(call) => {
            let is_timedelta = semantic.resolves_to(&call.func, &["datetime.timedelta"])
                || matches!(&*call.func, Expr::Name(n) if n.id == "timedelta");
            if !is_timedelta {
                return None;
            }
            const POSITIONAL: [f64; 7] = [DAY, 1.0, 1e-6, 1e-3, 60.0, 3600.0, 7.0 * DAY];
            let mut total = 0.0;
            for (i, arg) in call.arguments.args.iter().enumerate() {
                total += number(arg)? * POSITIONAL.get(i)?;
            }
            for keyword in &call.arguments.keywords {
                let unit = match keyword.arg.as_ref()?.as_str() {
                    "weeks" => 7.0 * DAY,
                    "days" => DAY,
                    "hours" => 3600.0,
                    "minutes" => 60.0,
                    "seconds" => 1.0,
                    "milliseconds" => 1e-3,
                    "microseconds" => 1e-6,
                    _ => return None,
                };
                total += number(&keyword.value)? * unit;
            }
            Some(total)
        }
        other => number(other),
    }
}

/// A numeric literal or a product/sum of numeric literals.
fn number(expr: &Expr) -> Option<f64> {
    match expr {
        Expr::NumberLiteral(n) => match &n.value {
            ast::Number::Int(i) => i.as_u64().map(|v| v as f64),
            ast::Number::Float(f) => Some(*f),
            ast::Number::Complex { .. } => None,
        },
        Expr::BinOp(op) => {
            let (l, r) = (number(&op.left)?, number(&op.right)?);
            match op.op {
                ast::Operator::Mult => Some(l * r),
                ast::Operator::Add => Some(l + r),
                ast::Operator::Sub => Some(l - r),
                _ => None,
            }
        }
        _ => None,
    }
}

fn describe(seconds: f64) -> String {
    if seconds >= DAY && (seconds / DAY).fract() == 0.0 {
        format!("{} days", seconds / DAY)
    } else {
        format!("{} hours", (seconds / 3600.0 * 10.0).round() / 10.0)
    }
}
