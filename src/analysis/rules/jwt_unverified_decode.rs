//! FH401 `jwt-unverified-decode`: JWTs decoded without verifying the signature
//! or without pinning the accepted algorithms.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use crate::analysis::checker::Checker;
use crate::analysis::codes::Rule;
use crate::analysis::config_values::is_falsy_literal;
use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;

/// The rule's documentation, printed by `flask-harden rule FH401`.
pub const DOC: &str = r#"## What it does
Finds `jwt.decode(...)` calls (PyJWT, and `jose.jwt.decode`) that do not
verify the token: `options={"verify_signature": False}`, the PyJWT 1.x
`verify=False`, `algorithms=["none"]`, or no `algorithms` argument at all.

## Why is this bad?
An unverified token is just a claim the client wrote: anyone can set
`"sub": "admin"`. Without a pinned `algorithms` list, old PyJWT versions and
other libraries accept whatever algorithm the token header names, including
`none` (no signature) or HS256 keyed with the RSA public key (algorithm
confusion).

## Example
```python
claims = jwt.decode(token, options={"verify_signature": False})
claims = jwt.decode(token, key)
```

Use instead:
```python
claims = jwt.decode(token, public_key, algorithms=["RS256"], audience="my-api")
```
To read a header before verification (say, the key id), use
`jwt.get_unverified_header(token)` and then verify.

## Fix safety
There is no automatic fix: the algorithm and key to verify with depend on how
the tokens are issued.

## References
- CWE-347: Improper Verification of Cryptographic Signature, https://cwe.mitre.org/data/definitions/347.html
- OWASP Top 10 A02:2021 Cryptographic Failures, https://owasp.org/Top10/A02_2021-Cryptographic_Failures/
- OWASP JSON Web Token Cheat Sheet, https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html
- PyJWT: Usage, https://pyjwt.readthedocs.io/en/stable/usage.html
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "jwt-unverified-decode",
    fix: FixAvailability::None,
    cwe: "CWE-347",
    owasp: "A02:2021",
    owasp_title: "Cryptographic Failures",
    summary: "JWTs decoded without verifying the signature or pinning algorithms",
    doc: Some(DOC),
    hooks: Hooks {
        call: Some(check_call),
        ..Hooks::NONE
    },
};

/// The decode functions this rule and FH402 look at.
pub(crate) const DECODE: &[&str] = &["jwt.decode", "jwt.api_jwt.decode", "jose.jwt.decode"];

/// Reports `jwt.decode` calls that skip verification.
pub(crate) fn check_call(checker: &mut Checker, call: &ast::ExprCall) {
    if !checker.semantic().resolves_to(&call.func, DECODE) {
        return;
    }
    let arguments = &call.arguments;
    if let Some(options) = arguments.find_keyword("options")
        && let Expr::Dict(dict) = &options.value
    {
        for item in &dict.items {
            if let Some(Expr::StringLiteral(key)) = &item.key
                && key.value == *"verify_signature"
                && is_falsy_literal(&item.value)
            {
                report(
                    checker,
                    item.value.range(),
                    "`jwt.decode` is called with `verify_signature: False`: the token's claims are accepted without checking its signature, so anyone can forge them. Verify with the issuer's key and `algorithms=[...]`; use `jwt.get_unverified_header` if you only need the header",
                );
                return;
            }
        }
    }
    if let Some(verify) = arguments.find_keyword("verify")
        && is_falsy_literal(&verify.value)
    {
        report(
            checker,
            verify.range(),
            "`jwt.decode(..., verify=False)` accepts the token's claims without checking its signature, so anyone can forge them. Verify with the issuer's key and `algorithms=[...]`",
        );
        return;
    }
    let Some(algorithms) = arguments.find_argument_value("algorithms", 2) else {
        report(
            checker,
            call.range(),
            "`jwt.decode` without `algorithms` lets the token header choose the algorithm (`none`, or HS256 keyed with a public key). Pin the algorithms you issue: `algorithms=[\"RS256\"]`",
        );
        return;
    };
    let elements: Vec<&Expr> = match algorithms {
        Expr::List(l) => l.elts.iter().collect(),
        Expr::Tuple(t) => t.elts.iter().collect(),
        other => vec![other],
    };
    for element in elements {
        if let Expr::StringLiteral(s) = element
            && s.value.to_str().eq_ignore_ascii_case("none")
        {
            report(
                checker,
                s.range(),
                "`jwt.decode` accepts the `none` algorithm: unsigned tokens pass as valid, so anyone can forge them. Accept only the algorithm you issue, such as `algorithms=[\"RS256\"]`",
            );
            return;
        }
    }
}

fn report(checker: &mut Checker, range: ruff_text_size::TextRange, message: &str) {
    checker.report(Diagnostic::new(Rule::JwtUnverifiedDecode, range, message));
}
