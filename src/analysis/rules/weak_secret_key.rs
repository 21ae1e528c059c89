//! FH103 `weak-secret-key`: a secret key built from predictable values, too few
//! random bytes, or (reported as low) a per-process random key.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::checker::Checker;
use crate::analysis::codes::{Rule, Severity};
use crate::analysis::config_values::{ConfigSetting, app_secret_key_value};
use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;
use crate::analysis::semantic::SemanticModel;

/// The rule's documentation, printed by `flask-harden rule FH103`.
pub const DOC: &str = r#"## What it does
Finds secret keys (`SECRET_KEY`, `JWT_SECRET_KEY`, `WTF_CSRF_SECRET_KEY`,
`app.secret_key`) built from predictable values: the `random` module, `time`,
`datetime.now()`, `uuid.uuid1()`, a constant seed (`random.Random(42)`), or
fewer than 16 random bytes (`os.urandom(8)`, `secrets.token_hex(8)`). A key
generated at import time from a strong source (`os.urandom(24)`,
`secrets.token_hex()`) is reported as low: it changes on every restart and differs
between worker processes. Test code is exempt.

## Why is this bad?
`random` is a Mersenne Twister seeded from predictable state; times and
`uuid1()` are guessable to a few bits; 8 bytes can be brute-forced offline from a
single session cookie. Whoever recovers the key can forge sessions. A random key
per process logs every user out on each deploy and, with several gunicorn
workers, rejects sessions signed by another worker.

## Example
```python
app.secret_key = str(random.random())
SECRET_KEY = os.urandom(8)
SECRET_KEY = os.urandom(24)  # per process: low
```

Use instead:
```python
# Generate once with `python -c "import secrets; print(secrets.token_hex(32))"`
# and provide it through the environment.
SECRET_KEY = os.environ["SECRET_KEY"]
```

## Fix safety
No automatic fix: the key must come from a deployment secret, which the tool
cannot create for you. Generate 32 random bytes once and set them in the
environment of every worker.

## References
- CWE-330: Use of Insufficiently Random Values, https://cwe.mitre.org/data/definitions/330.html
- OWASP Top 10 A02:2021 Cryptographic Failures, https://owasp.org/Top10/A02_2021-Cryptographic_Failures/
- Python: secrets, https://docs.python.org/3/library/secrets.html
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "weak-secret-key",
    fix: FixAvailability::None,
    cwe: "CWE-330",
    owasp: "A02:2021",
    owasp_title: "Cryptographic Failures",
    summary: "A secret key built from predictable or too few random bytes",
    doc: Some(DOC),
    hooks: Hooks {
        assign: Some(check_stmt),
        setting: Some(check_setting),
        ..Hooks::NONE
    },
};

const KEY_SETTINGS: &[&str] = &["SECRET_KEY", "JWT_SECRET_KEY", "WTF_CSRF_SECRET_KEY"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Weakness {
    None,
    PerProcess,
    TooShort,
    Predictable,
    ConstantSeed,
}

struct Scan<'s, 'a> {
    semantic: &'s SemanticModel<'a>,
    worst: Weakness,
    detail: String,
}

impl<'e> Visitor<'e> for Scan<'_, '_> {
    fn visit_expr(&mut self, expr: &'e Expr) {
        if let Expr::Call(call) = expr {
            self.call(call);
        }
        visitor::walk_expr(self, expr);
    }
}

impl Scan<'_, '_> {
    fn raise(&mut self, weakness: Weakness, detail: String) {
        if weakness > self.worst {
            self.worst = weakness;
            self.detail = detail;
        }
    }

    fn call(&mut self, call: &ast::ExprCall) {
        let Some(name) = self.semantic.resolve_qualified_name(&call.func) else {
            return;
        };
        let dotted = name.dotted();
        let first_int = || match call.arguments.find_positional(0) {
            Some(Expr::NumberLiteral(n)) => n.value.as_int().and_then(ast::Int::as_u64),
            _ => None,
        };
        match dotted.as_str() {
            "random.Random" | "random.seed"
                if call
                    .arguments
                    .find_positional(0)
                    .is_some_and(Expr::is_literal_expr) =>
            {
                self.raise(
                    Weakness::ConstantSeed,
                    format!("`{dotted}` with a constant seed"),
                );
            }
            "random.SystemRandom" => {}
            d if d.starts_with("random.") => {
                self.raise(
                    Weakness::Predictable,
                    format!("`{d}()` (a predictable PRNG)"),
                );
            }
            "time.time"
            | "time.time_ns"
            | "time.monotonic"
            | "time.perf_counter"
            | "datetime.datetime.now"
            | "datetime.datetime.utcnow"
            | "datetime.now"
            | "uuid.uuid1" => {
                self.raise(Weakness::Predictable, format!("`{dotted}()` (guessable)"));
            }
            "os.urandom"
            | "secrets.token_bytes"
            | "secrets.token_hex"
            | "secrets.token_urlsafe" => {
                match first_int() {
                    Some(n) if n < 16 => {
                        self.raise(Weakness::TooShort, format!("`{dotted}({n})` (only {n} random bytes; use at least 16, better 32)"));
                    }
                    _ => self.raise(Weakness::PerProcess, format!("`{dotted}(...)`")),
                }
            }
            "uuid.uuid4" => self.raise(Weakness::PerProcess, "`uuid.uuid4()`".to_owned()),
            _ => {}
        }
    }
}

/// `app.secret_key = ...`.
pub(crate) fn check_stmt<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt) {
    if let Some(value) = app_secret_key_value(checker.semantic(), stmt) {
        check_value(checker, "app.secret_key", value);
    }
}

/// Secret-key settings in any configuration form.
pub(crate) fn check_setting(checker: &mut Checker, setting: &ConfigSetting) {
    if KEY_SETTINGS.contains(&setting.key) {
        check_value(checker, setting.key, setting.value);
    }
}

fn check_value(checker: &mut Checker, key: &str, value: &Expr) {
    // A per-process key only in debug, testing or under pytest (FH102's
    // start-up check) never reaches production.
    if checker.semantic().in_development_guard() {
        return;
    }
    let mut scan = Scan {
        semantic: checker.semantic(),
        worst: Weakness::None,
        detail: String::new(),
    };
    scan.visit_expr(value);
    let (worst, detail) = (scan.worst, scan.detail);
    let diagnostic = match worst {
        Weakness::None => return,
        Weakness::PerProcess => Diagnostic::new(
            Rule::WeakSecretKey,
            value.range(),
            format!(
                "`{key}` is generated at start-up with {detail}: it changes on every restart and differs between worker processes, so sessions break. Generate it once (`secrets.token_hex(32)`) and read it from the environment"
            ),
        )
        .with_severity(Severity::Low),
        _ => Diagnostic::new(
            Rule::WeakSecretKey,
            value.range(),
            format!(
                "`{key}` is built from {detail}, which an attacker can guess to forge sessions. Use 32 bytes from `secrets.token_hex(32)`, generated once and read from the environment"
            ),
        ),
    };
    checker.report(diagnostic);
}
