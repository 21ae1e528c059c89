//! FH307 `open-redirect`: `redirect(...)` to a URL taken from request data
//! without a same-site check.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use crate::analysis::checker::FlowChecker;
use crate::analysis::codes::Rule;
use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::request_data::{SAME_SITE_CHECKS, ScopeFlow};
use crate::analysis::rules::Hooks;
use crate::analysis::semantic::SemanticModel;

/// The rule's documentation, printed by `flask-harden rule FH307`.
pub const DOC: &str = r#"## What it does
Finds `redirect(...)` (Flask or Werkzeug) to a URL that carries request data,
such as a `next` or `return_to` query parameter or form field, when the
function never checks that the URL stays on the same site (a call such as
`url_has_allowed_host_and_scheme(url)`, `is_safe_url(url)`, a
`urlparse(url).netloc` comparison, or `url.startswith("/")` together with a
check that rejects `//`: `startswith("/")` alone lets the protocol-relative
`//evil.example/phish` through). A URL that starts
with a fixed path on this site (`f"/items/{id}"`, `"/items/" + id`, or a
`url_for(...)` result) is fine; `f"/{x}"`, `"//" + x` and `"/\\" + x` are not.

## Why is this bad?
An open redirect lends the site's name to phishing: a link to
`https://shop.example.com/login?next=https://evil.example` looks trustworthy,
and after logging in the victim lands on the attacker's copy of the site. It
also defeats OAuth redirect-URI checks and some SSRF filters.

## Example
```python
next_url = request.args.get("next")
return redirect(next_url)
```

Use instead:
```python
from urllib.parse import urlsplit

next_url = request.args.get("next", "")
parts = urlsplit(next_url)
if parts.scheme or parts.netloc or not next_url.startswith("/"):
    next_url = url_for("index")
return redirect(next_url)
```

## Fix safety
There is no automatic fix: the list of allowed hosts is an application
decision. The message gives the check to add.

## References
- CWE-601: URL Redirection to Untrusted Site ('Open Redirect'), https://cwe.mitre.org/data/definitions/601.html
- OWASP Top 10 A01:2021 Broken Access Control, https://owasp.org/Top10/A01_2021-Broken_Access_Control/
- OWASP Unvalidated Redirects and Forwards Cheat Sheet, https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "open-redirect",
    fix: FixAvailability::None,
    cwe: "CWE-601",
    owasp: "A01:2021",
    owasp_title: "Broken Access Control",
    summary: "A redirect to a URL taken from request data without a same-site check",
    doc: Some(DOC),
    hooks: Hooks {
        flow_sink: Some(is_sink),
        flow_call: Some(check),
        ..Hooks::NONE
    },
};

const REDIRECT: &[&str] = &[
    "flask.redirect",
    "flask.helpers.redirect",
    "werkzeug.utils.redirect",
];

/// Callee names that check a URL for the same site, beside the helpers FH301
/// also accepts as guards ([`SAME_SITE_CHECKS`]).
const CHECKS: &[&str] = &[
    "safe_url",
    "urlparse",
    "urlsplit",
    "url_parse",
    "startswith",
];

fn is_check(callee: &str) -> bool {
    CHECKS.contains(&callee) || SAME_SITE_CHECKS.contains(&callee)
}

/// Whether `call` may be a sink of this rule (see `sql_injection::is_sink`).
pub(crate) fn is_sink(semantic: &SemanticModel, call: &ast::ExprCall) -> bool {
    semantic.imported_callee_name(call) == Some("redirect")
        && semantic.resolves_to(&call.func, REDIRECT)
}

/// Reports redirects to request data without a same-site check.
pub(crate) fn check(checker: &mut FlowChecker, call: &ast::ExprCall) {
    let flow = checker.flow();
    if !is_sink(flow.semantic(), call) {
        return;
    }
    let Some(location) = call
        .arguments
        .args
        .first()
        .or_else(|| call.arguments.find_keyword("location").map(|k| &k.value))
    else {
        return;
    };
    if !flow.is_request_data(location)
        || same_site_prefix(flow, location, 0)
        || has_same_site_check(flow, location)
    {
        return;
    }
    checker.report(Diagnostic::new(
        Rule::OpenRedirect,
        call.range(),
        "`redirect()` sends the visitor to a URL taken from request data without checking that it stays on this site (open redirect, used for phishing). Accept only relative paths (no scheme, no host, starting with a single `/`) or hosts from an allow-list, and fall back to `url_for(...)`",
    ));
}

/// Whether `location` starts with a fixed same-site path: a literal prefix of a
/// single `/` followed by another literal character that is neither `/` nor `\`
/// (`f"/items/{id}"`, `"/items/" + id`, `"/items/{}".format(id)`), or a
/// `url_for(...)` result (`url_for("search") + "?" + query`). A variable
/// assigned once is followed.
fn same_site_prefix(flow: &ScopeFlow, location: &Expr, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    match location {
        Expr::FString(f) => {
            let mut prefix = String::new();
            for element in f.value.elements() {
                match element.as_literal() {
                    Some(literal) => prefix.push_str(&literal.value),
                    None if prefix.is_empty() => {
                        return element
                            .as_interpolation()
                            .is_some_and(|i| is_url_for(flow, &i.expression));
                    }
                    None => break,
                }
            }
            is_same_site_path(&prefix)
        }
        Expr::StringLiteral(s) => is_same_site_path(s.value.to_str()),
        Expr::BinOp(op) if matches!(op.op, ast::Operator::Add | ast::Operator::Mod) => {
            match (&*op.left, op.op) {
                (Expr::StringLiteral(s), ast::Operator::Mod) => {
                    let text = s.value.to_str();
                    is_same_site_path(text.split('%').next().unwrap_or(text))
                }
                (left, _) => same_site_prefix(flow, left, depth + 1),
            }
        }
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(attr) if attr.attr.as_str() == "format" => match &*attr.value {
                Expr::StringLiteral(s) => {
                    let text = s.value.to_str();
                    is_same_site_path(text.split('{').next().unwrap_or(text))
                }
                _ => false,
            },
            _ => is_url_for(flow, location),
        },
        Expr::Name(name) => flow
            .single_value(name.id.as_str())
            .is_some_and(|value| same_site_prefix(flow, value, depth + 1)),
        _ => false,
    }
}

/// `/x...`: a path on this site (not `//host` nor `/\host`, which browsers
/// treat as another host, and not a bare `/` that the next part could extend).
fn is_same_site_path(prefix: &str) -> bool {
    let mut chars = prefix.chars();
    chars.next() == Some('/') && chars.next().is_some_and(|c| c != '/' && c != '\\')
}

fn is_url_for(flow: &ScopeFlow, expr: &Expr) -> bool {
    matches!(expr, Expr::Call(call)
        if flow.semantic().imported_callee_name(call) == Some("url_for")
            && flow.semantic().resolves_to(&call.func, &["flask.url_for", "flask.helpers.url_for"]))
}

/// Whether the function checks one of the names in `location` with a URL check.
fn has_same_site_check(flow: &ScopeFlow, location: &Expr) -> bool {
    let mut names = NameCollector::default();
    names.visit_expr(location);
    if names.names.is_empty() {
        return false;
    }
    let mut found = false;
    // `url.startswith("/")` alone lets `//evil.example/phish` through (a
    // protocol-relative URL): it counts only beside a check that rejects `//`
    // (`startswith("//")`, `startswith(("//", "/\\"))`) or another check.
    let mut slash_only = false;
    let mut rejects_double = false;
    flow.walk(|node| {
        let Expr::Call(call) = node.expr else { return };
        let callee = match &*call.func {
            Expr::Name(n) => n.id.as_str(),
            Expr::Attribute(a) => a.attr.as_str(),
            _ => return,
        };
        let helper = || {
            matches!(&*call.func, Expr::Name(_))
                && flow
                    .semantic()
                    .function_def(callee)
                    .is_some_and(calls_url_check)
        };
        if !is_check(callee) && !helper() {
            return;
        }
        let mut inner = NameCollector::default();
        inner.visit_arguments(&call.arguments);
        inner.visit_expr(&call.func);
        if inner.names.iter().any(|n| names.names.contains(n)) {
            if callee == "startswith" {
                match startswith_prefixes(call) {
                    Some(prefixes) if prefixes.iter().all(|p| *p == "/") => slash_only = true,
                    Some(prefixes) if prefixes.iter().any(|p| matches!(*p, "//" | "/\\")) => {
                        rejects_double = true;
                    }
                    _ => found = true,
                }
            } else {
                found = true;
            }
        }
    });
    found || (slash_only && rejects_double)
}

/// The literal prefixes of `x.startswith("a")` / `x.startswith(("a", "b"))`.
fn startswith_prefixes(call: &ast::ExprCall) -> Option<Vec<&str>> {
    match call.arguments.args.first()? {
        Expr::StringLiteral(s) => Some(vec![s.value.to_str()]),
        Expr::Tuple(t) => t
            .elts
            .iter()
            .map(|e| match e {
                Expr::StringLiteral(s) => Some(s.value.to_str()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// Whether a helper function of the module calls a URL check itself
/// (`def _is_local(target): parts = urlparse(target); ...`): calling it on
/// the location is then a same-site check too.
fn calls_url_check(def: &ast::StmtFunctionDef) -> bool {
    #[derive(Default)]
    struct Finder {
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                let callee = match &*call.func {
                    Expr::Name(n) => n.id.as_str(),
                    Expr::Attribute(a) => a.attr.as_str(),
                    _ => "",
                };
                self.found |= is_check(callee);
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder::default();
    finder.visit_body(&def.body);
    finder.found
}

#[derive(Default)]
struct NameCollector {
    names: Vec<String>,
}

impl<'a> Visitor<'a> for NameCollector {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(name) = expr {
            self.names.push(name.id.to_string());
        }
        visitor::walk_expr(self, expr);
    }

    fn visit_arguments(&mut self, arguments: &'a ast::Arguments) {
        visitor::walk_arguments(self, arguments);
    }
}
