//! FH402 `jwt-symmetric-algorithm`: JWTs signed with a shared-secret HMAC
//! algorithm (HS256, HS384, HS512).

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::jwt_unverified_decode::DECODE;
use crate::analysis::checker::Checker;
use crate::analysis::codes::Rule;
use crate::analysis::config_values::ConfigSetting;
use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;

/// The rule's documentation, printed by `flask-harden rule FH402`.
pub const DOC: &str = r#"## What it does
Finds JWTs signed or verified with an HMAC algorithm: `JWT_ALGORITHM = "HS256"`
(or HS384/HS512) in any configuration form (module setting, config class,
`app.config[...]`, `update()`, `from_mapping()`), `JWT_DECODE_ALGORITHMS`
listing one, `jwt.encode(..., algorithm="HS256")` and
`jwt.decode(..., algorithms=["HS256"])`.

## Why is this bad?
With HMAC the same secret signs and verifies: every service that checks tokens
can also mint them, the secret must be shared and rotated everywhere, and a
short or leaked secret lets anyone forge tokens offline (HS256 secrets are
brute-forced from a single token). Asymmetric algorithms keep the signing key
in one place and hand out only the public key.

## Example
```python
class Config:
    JWT_ALGORITHM = "HS256"

token = jwt.encode(payload, secret, algorithm="HS256")
```

Use instead:
```python
class Config:
    JWT_ALGORITHM = "RS256"
    JWT_PRIVATE_KEY = os.environ["JWT_PRIVATE_KEY"]
    JWT_PUBLIC_KEY = os.environ["JWT_PUBLIC_KEY"]

token = jwt.encode(payload, os.environ["JWT_PRIVATE_KEY"], algorithm="RS256")
```

## Fix safety
There is no automatic fix: switching algorithms needs a key pair and
invalidates every token already issued.

## References
- CWE-327: Use of a Broken or Risky Cryptographic Algorithm, https://cwe.mitre.org/data/definitions/327.html
- OWASP Top 10 A02:2021 Cryptographic Failures, https://owasp.org/Top10/A02_2021-Cryptographic_Failures/
- RFC 8725: JSON Web Token Best Current Practices, https://www.rfc-editor.org/rfc/rfc8725
- Flask-JWT-Extended: JWT_ALGORITHM, https://flask-jwt-extended.readthedocs.io/en/stable/options.html#JWT_ALGORITHM
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "jwt-symmetric-algorithm",
    fix: FixAvailability::None,
    cwe: "CWE-327",
    owasp: "A02:2021",
    owasp_title: "Cryptographic Failures",
    summary: "JWTs signed with a shared-secret HMAC algorithm",
    doc: Some(DOC),
    hooks: Hooks {
        setting: Some(check_setting),
        call: Some(check_call),
        ..Hooks::NONE
    },
};

const ENCODE: &[&str] = &["jwt.encode", "jwt.api_jwt.encode", "jose.jwt.encode"];
const SETTINGS: &[&str] = &["JWT_ALGORITHM", "JWT_DECODE_ALGORITHMS"];

/// `jwt.encode(..., algorithm="HS256")`, `jwt.decode(..., algorithms=["HS256"])`.
pub(crate) fn check_call(checker: &mut Checker, call: &ast::ExprCall) {
    let semantic = checker.semantic();
    let value = if semantic.resolves_to(&call.func, ENCODE) {
        call.arguments.find_argument_value("algorithm", 2)
    } else if semantic.resolves_to(&call.func, DECODE) {
        call.arguments.find_argument_value("algorithms", 2)
    } else {
        return;
    };
    if let Some(literal) = value.and_then(hmac_literal) {
        report(checker, literal);
    }
}

/// `JWT_ALGORITHM = "HS256"` in a statement or `config.update(JWT_ALGORITHM="HS256")`.
pub(crate) fn check_setting(checker: &mut Checker, setting: &ConfigSetting) {
    if !SETTINGS.contains(&setting.key) {
        return;
    }
    if let Some(literal) = hmac_literal(setting.value) {
        report(checker, literal);
    }
}

/// The first HS256/HS384/HS512 string literal in `expr` (a string or a list).
fn hmac_literal(expr: &Expr) -> Option<&Expr> {
    match expr {
        Expr::StringLiteral(s) => {
            let value = s.value.to_str().to_ascii_uppercase();
            matches!(value.as_str(), "HS256" | "HS384" | "HS512").then_some(expr)
        }
        Expr::List(l) => l.elts.iter().find_map(hmac_literal),
        Expr::Tuple(t) => t.elts.iter().find_map(hmac_literal),
        _ => None,
    }
}

fn report(checker: &mut Checker, literal: &Expr) {
    let Expr::StringLiteral(s) = literal else {
        return;
    };
    let message = format!(
        "JWTs use `{}`, a shared-secret HMAC algorithm: whoever can verify tokens can also forge them, and a weak or leaked secret lets anyone mint tokens. Prefer `RS256` or `ES256` with the private key from the environment",
        s.value.to_str()
    );
    checker.report(Diagnostic::new(
        Rule::JwtSymmetricAlgorithm,
        literal.range(),
        message,
    ));
}
