//! FH501 `stack-trace-exposure`: exception text or tracebacks returned in a
//! response.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::checker::FlowChecker;
use crate::analysis::codes::Rule;
use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::request_data::{Node, callee_name};
use crate::analysis::rules::Hooks;
use crate::analysis::semantic::is_development_guard;

/// The rule's documentation, printed by `flask-harden rule FH501`.
pub const DOC: &str = r#"## What it does
Finds responses built from exception details: `traceback.format_exc()` (and
the other `traceback.format_*` functions), `str(e)`, `repr(e)`, an f-string,
`%` or `.format()` of a caught exception (`except ... as e`), also when it
is first put into a variable, a dict or a list (`body = {"error": str(e)}`
then `return jsonify(body)`), or of the
exception an error handler (`@app.errorhandler` or
`app.register_error_handler(code, handler)`) receives, when a view or an
error handler returns the text (alone or as the body of a returned tuple), or when it is passed to `jsonify`,
`make_response`, `Response` or `abort` anywhere. Attributes that carry the
message count too: `str(e.orig)` (the database driver's error inside an
SQLAlchemy exception), `e.args`, `e.message`. Logging the exception is fine,
and so is a response built only in debug or development mode (inside
`if app.debug:` or another development check).

## Why is this bad?
Exception messages and tracebacks reveal file paths, library versions, SQL
statements and fragments of data, and sometimes secrets from connection
strings. They tell an attacker exactly which input broke what, which speeds up
injection attacks.

## Example
```python
@app.errorhandler(Exception)
def handle_error(e):
    return jsonify(error=repr(e), trace=traceback.format_exc()), 500
```

Use instead:
```python
@app.errorhandler(Exception)
def handle_error(e):
    app.logger.exception("unhandled error")
    return jsonify(error="internal server error"), 500
```

## Fix safety
There is no automatic fix: the generic message to return is an application
decision. Log the exception (`app.logger.exception(...)`) and return a fixed
message or an error id.

## References
- CWE-209: Generation of Error Message Containing Sensitive Information, https://cwe.mitre.org/data/definitions/209.html
- OWASP Top 10 A04:2021 Insecure Design, https://owasp.org/Top10/A04_2021-Insecure_Design/
- OWASP Error Handling Cheat Sheet, https://cheatsheetseries.owasp.org/cheatsheets/Error_Handling_Cheat_Sheet.html
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "stack-trace-exposure",
    fix: FixAvailability::None,
    cwe: "CWE-209",
    owasp: "A04:2021",
    owasp_title: "Insecure Design",
    summary: "Exception text or tracebacks returned in a response",
    doc: Some(DOC),
    hooks: Hooks {
        flow_response: Some(is_response),
        flow_node: Some(check),
        ..Hooks::NONE
    },
};

/// The calls whose arguments become the response.
const RESPONSE_BUILDERS: &[&str] = &["jsonify", "make_response", "Response", "abort"];

/// Whether `call` builds a response (marks its scope for analysis after the walk).
fn is_response(call: &ast::ExprCall) -> bool {
    callee_name(call).is_some_and(|c| RESPONSE_BUILDERS.contains(&c))
}

/// Reports exception text that ends up in a response.
pub(crate) fn check(checker: &mut FlowChecker, expr: &Expr) {
    if !matches!(
        expr,
        Expr::Call(_) | Expr::FString(_) | Expr::BinOp(_) | Expr::Name(_)
    ) {
        return;
    }
    let flow = checker.flow();
    let node = checker.node();
    if !flow.has_exceptions() {
        return;
    }
    // A `return` counts in views and error handlers (their return value is the
    // response); elsewhere only response builders do. Checked first: it is
    // cheap, and most expressions are in no response.
    let returned =
        matches!(node.statement(), Stmt::Return(_)) && (flow.is_route() || flow.is_error_handler());
    let in_response = returned
        || node.ancestors.iter().any(|a| match a {
            Expr::Call(call) => {
                let callee = match &*call.func {
                    Expr::Name(n) => n.id.as_str(),
                    Expr::Attribute(a) => a.attr.as_str(),
                    _ => "",
                };
                RESPONSE_BUILDERS.contains(&callee)
            }
            _ => false,
        });
    if !in_response || !flow.is_exception_text(expr) {
        return;
    }
    // Details shown only in debug or development mode (`if app.debug:`).
    if in_development_branch(node) {
        return;
    }
    // The outermost text expression is reported once; a returned tuple
    // (`return str(e), 500`) is not text itself, so its element is.
    if node
        .ancestors
        .iter()
        .any(|a| !matches!(a, Expr::Tuple(_)) && flow.is_exception_text(a))
    {
        return;
    }
    let what = if flow.is_error_handler() {
        "This error handler returns exception text"
    } else {
        "This response contains exception text"
    };
    let message = format!(
        "{what}: error messages and tracebacks reveal paths, queries and library versions to clients. Log the exception (`app.logger.exception(...)`) and return a generic message"
    );
    checker.report(Diagnostic::new(
        Rule::StackTraceExposure,
        expr.range(),
        message,
    ));
}

/// Whether the node sits in the body of an `if` whose test is a debug, testing
/// or development check (`if app.debug:`, `if current_app.config["DEBUG"]:`).
fn in_development_branch(node: &Node) -> bool {
    let statements = node.statements;
    statements.iter().enumerate().any(|(i, stmt)| {
        let Stmt::If(if_stmt) = stmt else {
            return false;
        };
        let inner = statements.get(i + 1).copied().unwrap_or(node.statement());
        is_development_guard(&if_stmt.test)
            && if_stmt
                .body
                .iter()
                .any(|s| std::ptr::eq(s, inner) || s.range().contains_range(inner.range()))
    })
}
