//! Request-data flow inside one function, as RULES.md defines "request data":
//! a value that flows from `request.args`, `form`, `values`, `json`,
//! `get_json()`, `data`, `files`, `headers`, `cookies`, from a view argument of
//! a route function (not a FastAPI dependency), or from a variable assigned
//! from any of them (through assignment, subscripting, `.get()`, f-strings,
//! `%`, `.format()`, `+`).
//!
//! A [`ScopeFlow`] holds the bindings of one scope (a function body, or the
//! module's own statements) and answers, for any expression of that scope,
//! whether it carries request data, whether it is a provable constant, whether
//! it is a string built by formatting a non-literal value, and whether it is
//! exception text (for FH501). The analysis is flow-insensitive within a scope
//! (every assignment to a name counts), which is what a security linter wants.
//! [`walk_scopes`] runs a callback over every expression of every scope of a
//! module exactly once, with the expression's ancestors and innermost statement,
//! so that the injection rules can look at their sinks in context; which scopes
//! it visits comes from the [`FlowScopes`] the checker records during its one
//! walk of the module. What Flask itself means (routes, views, error handlers,
//! the request object) is in [`super::flask`]; FH301's reading of request
//! bodies is in its rule file.
//!
//! The parts: `scopes` ([`FlowScopes`]) is the model the checker builds in
//! its one walk of the module (each scope's bindings in the order Python
//! makes them, return values, calls, sinks); `flow` ([`ScopeFlow`]) holds the
//! queries over one scope's bindings; `modules` decides which scopes are
//! analysed ([`walk_scopes`]), follows request data from routes into the
//! module's helpers and tells the other modules of the project what this
//! one's functions do with it ([`FlowExports`], [`CrossModule`]). Flow rules
//! get all of it through a
//! [`FlowChecker`](crate::analysis::checker::FlowChecker).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, CmpOp, Expr, Operator, Stmt};
use ruff_text_size::Ranged;

use super::flask::{
    REQUEST_OBJECT, is_dependency_parameter, is_error_handler, route_view_arguments,
};
use super::project::{FromImport, import_candidates};
use super::semantic::SemanticModel;

mod flow;
mod modules;
mod scopes;

use scopes::*;

pub(crate) use flow::{MAX_CALL_DEPTH, SAME_SITE_CHECKS};
pub use flow::{Node, ScopeFlow};
pub use modules::{
    CrossModule, DependencyAliases, FlowExports, Links, OutgoingCall, Reach, RouteRef, Scopes,
    Seed, Summary, walk_scopes,
};
pub use scopes::FlowScopes;
#[cfg(test)]
pub(crate) use scopes::scopes_of;

/// Which kind of request read an expression is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestRead {
    /// `request.json`, `get_json()`, `form`, `args`, `values`: the fields FH301 counts.
    Body,
    /// `request.data`, `get_data()`, `files`, `headers`, `cookies`.
    Other,
}

/// How a binding gave a name its value.
#[derive(Debug, Clone, Copy)]
enum Binding<'a> {
    /// `x = value` (also walrus and annotated assignment).
    Value(&'a Expr),
    /// `x += value` / `x %= value`.
    Augmented(Operator, &'a Expr),
    /// An element of `value`: `for x in value`, `a, b = value`, `with value as x`.
    Element(&'a Expr),
    /// A function parameter; `true` for a view argument that carries request data.
    Parameter(bool),
    /// `except E as x`, or the exception parameter of an error handler.
    Exception,
    /// Anything else (imports, nested definitions, unknown parameters).
    Unknown,
}

/// [`Query::Parameter`] of any parameter.
const ANY_PARAMETER: usize = usize::MAX;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Query {
    Request,
    /// Request data, or what the function's parameter at this index (in
    /// `parameters.iter()` order) carries.
    Parameter(usize),
    Constant,
    Dynamic,
    Stringish,
    ExceptionText,
}

/// The kind of scope a [`ScopeFlow`] covers.
#[derive(Debug, Clone, Copy)]
pub enum ScopeKind<'a> {
    /// The module's own statements (class bodies included, function bodies not).
    Module,
    /// One function body.
    Function(&'a ast::StmtFunctionDef),
}

/// The last name of a call's callee: `execute` for `db.execute(...)`, `open`
/// for `open(...)`. Rules test it before resolving imports (which allocates).
pub fn callee_name(call: &ast::ExprCall) -> Option<&str> {
    match &*call.func {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attr) => Some(attr.attr.as_str()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::parse::parse_python;

    fn with_flow(src: &str, f: impl Fn(&ScopeFlow, &[Stmt])) {
        let module = parse_python(src);
        let semantic = SemanticModel::new(module.suite());
        let scopes = scopes_of(src, &module);
        walk_scopes(
            &semantic,
            module.suite(),
            &scopes,
            Scopes::All,
            Links::NONE,
            |flow| {
                if let ScopeKind::Function(function) = flow.kind() {
                    f(flow, &function.body);
                }
            },
        );
    }

    /// The value of the last statement of the function (an expression statement).
    fn last_expr(body: &[Stmt]) -> &Expr {
        match body.last().unwrap() {
            Stmt::Expr(e) => &e.value,
            Stmt::Return(r) => r.value.as_deref().unwrap(),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn request_data_flows_through_assignments_and_formatting() {
        let src = r#"
from flask import request as req
import os

@app.route("/a/<name>/<int:n>")
def view(name, n):
    a = req.args.get("q", "")
    b = f"x{a}"
    c = "%s" % b
    d = "{}".format(c) + "!"
    e, g = d, 1
    h = req.args.get("n", 1, type=int)
    k = os.path.join("/srv", name)
    return (e, g, h, k, n, secure_filename(name))
"#;
        with_flow(src, |flow, body| {
            let Expr::Tuple(t) = last_expr(body) else {
                panic!()
            };
            let tainted: Vec<bool> = t.elts.iter().map(|e| flow.is_request_data(e)).collect();
            assert_eq!(tainted, vec![true, false, false, true, false, false]);
        });
    }

    #[test]
    fn constants_and_dynamic_strings() {
        let src = r#"
PAGE = "<h1>{{ x }}</h1>"
def helper(table):
    sql = "SELECT * FROM t"
    sql += " WHERE a = " + table
    fixed = "SELECT 1"
    fixed += " LIMIT 2"
    return (PAGE, sql, fixed, table, f"{table}", f"{PAGE}")
"#;
        with_flow(src, |flow, body| {
            let Expr::Tuple(t) = last_expr(body) else {
                panic!()
            };
            let constant: Vec<bool> = t.elts.iter().map(|e| flow.is_constant(e)).collect();
            assert_eq!(constant, vec![true, false, true, false, false, true]);
            let dynamic: Vec<bool> = t.elts.iter().map(|e| flow.is_dynamic_string(e)).collect();
            assert_eq!(dynamic, vec![false, true, false, false, true, false]);
            assert!(flow.literal_text(&t.elts[1]).contains("WHERE a ="));
        });
    }

    #[test]
    fn the_walk_records_bindings_in_the_order_python_makes_them() {
        let src = r#"
import os.path
@register(flag := True)
def f(p):
    x = [y for y in ys]
    if (a := 1):
        b = 2
    elif (c := 3):
        pass
    lam = lambda: (z := 1)
    class K:
        inner = 1
    for i in (j := items):
        k, *rest = i
    try:
        pass
    except ValueError as e:
        pass
    return x
"#;
        let module = parse_python(src);
        let scopes = scopes_of(src, &module);
        let names = |recorded: &[Recorded]| -> Vec<String> {
            recorded.iter().map(|r| r.name.to_owned()).collect()
        };
        assert_eq!(names(&scopes.module_bindings), ["os", "flag", "f"]);
        assert_eq!(
            names(&scopes.functions[0].bindings),
            [
                "y", "x", "a", "c", "b", "lam", "K", "j", "i", "k", "rest", "e"
            ]
        );
        assert_eq!(scopes.functions[0].returns.len(), 1);
    }

    #[test]
    fn exception_text() {
        let src = r#"
import traceback
def f():
    try:
        pass
    except Exception as exc:
        msg = "failed: {}".format(exc)
        return (str(exc), f"x {exc}", msg, traceback.format_exc(), exc, exc.errors())
"#;
        let module = parse_python(src);
        let semantic = SemanticModel::new(module.suite());
        let scopes = scopes_of(src, &module);
        walk_scopes(
            &semantic,
            module.suite(),
            &scopes,
            Scopes::All,
            Links::NONE,
            |flow| {
                let mut seen = Vec::new();
                flow.walk(|node| {
                    if let Stmt::Return(_) = node.statement()
                        && let Some(Expr::Tuple(_)) = node.parent()
                    {
                        seen.push(flow.is_exception_text(node.expr));
                    }
                });
                if !seen.is_empty() {
                    assert_eq!(seen, vec![true, true, true, true, false, false]);
                }
            },
        );
    }
}
