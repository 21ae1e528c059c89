//! FH204 `weak-talisman-config`: flask-talisman with its protections switched
//! off or a Content-Security-Policy that allows any script.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::Checker;
use crate::analysis::codes::Rule;
use crate::analysis::diagnostic::{Diagnostic, Edit, Fix};
use crate::analysis::imports::{ImportPlan, on_unless_testing};
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;
use crate::analysis::semantic::SemanticModel;

/// The rule's documentation, printed by `flask-harden rule FH204`.
pub const DOC: &str = r#"## What it does
Finds flask-talisman set up with its protections switched off, in
`Talisman(app, ...)` or `talisman.init_app(app, ...)`:
`content_security_policy=None` or `False`, `force_https=False`,
`strict_transport_security=False`, and a Content-Security-Policy (a dict, a
string, or a module-level variable holding one) whose `default-src` or
`script-src` allows `*`, `'unsafe-inline'` or `'unsafe-eval'`. Development
configuration and test code are exempt.

## Why is this bad?
Applying Talisman and then disabling its defaults gives a false sense of
security: without a CSP injected scripts run; `'unsafe-inline'` and `*` make the
CSP useless against XSS; without forced HTTPS and HSTS sessions travel in clear
text and downgrade attacks work.

## Example
```python
Talisman(app, content_security_policy=None, force_https=False)
Talisman(app, content_security_policy={"script-src": "'self' 'unsafe-inline'"})
```

Use instead:
```python
Talisman(app, content_security_policy={"default-src": "'self'"})
```

## Fix safety
For the boolean switches the fix is safe: `strict_transport_security` goes back
to `True`, `force_https` becomes `LocalProxy(lambda: not current_app.testing)`
(HTTPS enforced except while the app is under test, read on every request, so
plain-http test clients keep working), and a missing CSP becomes
`{"default-src": "'self'"}`. A weak CSP is reported only: which sources a page
needs is a design decision (use nonces or hashes instead of `'unsafe-inline'`).

## References
- CWE-693: Protection Mechanism Failure, https://cwe.mitre.org/data/definitions/693.html
- OWASP Top 10 A05:2021 Security Misconfiguration, https://owasp.org/Top10/A05_2021-Security_Misconfiguration/
- flask-talisman options, https://github.com/wntrblm/flask-talisman#options
- MDN: Content-Security-Policy, https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "weak-talisman-config",
    fix: FixAvailability::Sometimes,
    cwe: "CWE-693",
    owasp: "A05:2021",
    owasp_title: "Security Misconfiguration",
    summary: "Talisman with its protections switched off or a permissive CSP",
    doc: Some(DOC),
    hooks: Hooks {
        call: Some(check_call),
        ..Hooks::NONE
    },
};

const TALISMAN: &[&str] = &[
    "flask_talisman.Talisman",
    "flask_talisman.talisman.Talisman",
];
const STRICT_CSP: &str = r#"{"default-src": "'self'"}"#;

fn is_talisman_setup(checker: &Checker, call: &ast::ExprCall) -> bool {
    let semantic = checker.semantic();
    if semantic.resolves_to(&call.func, TALISMAN) {
        return true;
    }
    let Expr::Attribute(attr) = &*call.func else {
        return false;
    };
    if attr.attr.as_str() != "init_app" {
        return false;
    }
    match &*attr.value {
        Expr::Name(name) => {
            semantic
                .call_binding(&name.id)
                .is_some_and(|b| b.callee.is_any(TALISMAN))
                || name.id.to_ascii_lowercase().contains("talisman")
        }
        Expr::Attribute(inner) => inner.attr.to_ascii_lowercase().contains("talisman"),
        _ => false,
    }
}

/// `Talisman(...)` / `talisman.init_app(...)` keywords.
pub(crate) fn check_call(checker: &mut Checker, call: &ast::ExprCall) {
    if checker.in_development_context() || !is_talisman_setup(checker, call) {
        return;
    }
    for keyword in &call.arguments.keywords {
        let Some(arg) = &keyword.arg else { continue };
        let value = &keyword.value;
        let off =
            matches!(value, Expr::BooleanLiteral(b) if !b.value) || value.is_none_literal_expr();
        match arg.as_str() {
            "content_security_policy" if off => {
                let message = "Talisman's Content-Security-Policy is switched off, so injected scripts run freely. Set a strict policy such as `{\"default-src\": \"'self'\"}`";
                let fix = Fix::safe(
                    "Restore a strict Content-Security-Policy",
                    vec![Edit::replacement(STRICT_CSP, value.range())],
                );
                checker.report(
                    Diagnostic::new(Rule::WeakTalismanConfig, keyword.range(), message)
                        .with_fix(fix),
                );
            }
            "content_security_policy" => {
                for (range, problem) in weak_csp(checker.semantic(), value) {
                    let message = format!(
                        "Talisman's Content-Security-Policy allows {problem}, which defeats its protection against XSS. Allow only `'self'` and explicit hosts, and use nonces instead of `'unsafe-inline'`"
                    );
                    checker.report(Diagnostic::new(Rule::WeakTalismanConfig, range, message));
                }
            }
            "force_https" | "strict_transport_security" if matches!(value, Expr::BooleanLiteral(b) if !b.value) =>
            {
                let what = if arg.as_str() == "force_https" {
                    "HTTP requests are no longer redirected to HTTPS"
                } else {
                    "browsers are not told to insist on HTTPS (no HSTS)"
                };
                let message = format!(
                    "`{arg}=False` weakens Talisman: {what}. Remove the override outside development"
                );
                let fix = if arg.as_str() == "force_https" {
                    // Plain-http test clients keep working while app.testing.
                    let mut imports = ImportPlan::new(checker.module());
                    let on = on_unless_testing(&mut imports);
                    let mut edits = imports.edits();
                    edits.push(Edit::replacement(on, value.range()));
                    Fix::safe("Force HTTPS except while app.testing", edits)
                } else {
                    Fix::safe(
                        format!("Set {arg}=True"),
                        vec![Edit::replacement("True", value.range())],
                    )
                };
                checker.report(
                    Diagnostic::new(Rule::WeakTalismanConfig, keyword.range(), message)
                        .with_fix(fix),
                );
            }
            _ => {}
        }
    }
}

/// Each weak directive of a CSP value: where it is written (the directive's
/// value in a dict, the whole string otherwise) and what it allows.
fn weak_csp(semantic: &SemanticModel, value: &Expr) -> Vec<(TextRange, String)> {
    match value {
        Expr::Name(name) => match semantic.assigned_value(&name.id) {
            Some(Expr::Name(_)) | None => Vec::new(),
            Some(other) => weak_csp(semantic, other),
        },
        Expr::Dict(dict) => dict
            .items
            .iter()
            .filter_map(|item| {
                let Some(Expr::StringLiteral(directive)) = &item.key else {
                    return None;
                };
                let directive = directive.value.to_str();
                if !matches!(directive, "default-src" | "script-src") {
                    return None;
                }
                let sources: Vec<String> = match &item.value {
                    Expr::StringLiteral(s) => s
                        .value
                        .to_str()
                        .split_whitespace()
                        .map(str::to_owned)
                        .collect(),
                    Expr::List(l) => string_items(&l.elts),
                    Expr::Tuple(t) => string_items(&t.elts),
                    _ => return None,
                };
                weak_source(directive, &sources).map(|problem| (item.value.range(), problem))
            })
            .collect(),
        Expr::StringLiteral(s) => s
            .value
            .to_str()
            .split(';')
            .find_map(|part| {
                let mut words = part.split_whitespace();
                let directive = words.next()?;
                if !matches!(directive, "default-src" | "script-src") {
                    return None;
                }
                let sources: Vec<String> = words.map(str::to_owned).collect();
                weak_source(directive, &sources)
            })
            .map(|problem| (s.range(), problem))
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

fn string_items(items: &[Expr]) -> Vec<String> {
    items
        .iter()
        .filter_map(|e| e.as_string_literal_expr())
        .flat_map(|s| {
            s.value
                .to_str()
                .split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn weak_source(directive: &str, sources: &[String]) -> Option<String> {
    sources.iter().find_map(|source| {
        let s = source.as_str();
        matches!(s, "*" | "'unsafe-inline'" | "'unsafe-eval'")
            .then(|| format!("`{s}` in `{directive}`"))
    })
}
