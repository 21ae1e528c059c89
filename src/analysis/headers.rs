//! HTTP response headers written in code, whatever the syntax:
//! `resp.headers["X"] = v`, `resp.headers.set("X", v)` / `.add` / `.setdefault`,
//! `resp.headers.update({"X": v})`, and header dictionaries
//! (`Response(..., headers={"X": v})`, `return body, 200, {"X": v}`).

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

/// One header written somewhere.
#[derive(Debug, Clone, Copy)]
pub struct HeaderWrite<'a> {
    /// The header name as written.
    pub name: &'a str,
    /// The range of the name literal.
    pub name_range: TextRange,
    /// The value.
    pub value: &'a Expr,
}

fn is_headers_object(expr: &Expr) -> bool {
    match expr {
        Expr::Attribute(attr) => attr.attr.as_str() == "headers",
        Expr::Name(name) => name.id.as_str().ends_with("headers"),
        _ => false,
    }
}

/// `x.headers["Name"] = value`.
pub fn header_writes_in_stmt(stmt: &Stmt) -> Vec<HeaderWrite<'_>> {
    let Stmt::Assign(assign) = stmt else {
        return Vec::new();
    };
    assign
        .targets
        .iter()
        .filter_map(|target| {
            let Expr::Subscript(sub) = target else {
                return None;
            };
            let Expr::StringLiteral(name) = &*sub.slice else {
                return None;
            };
            is_headers_object(&sub.value).then(|| HeaderWrite {
                name: name.value.to_str(),
                name_range: name.range(),
                value: &assign.value,
            })
        })
        .collect()
}

/// `x.headers.set("Name", v)` / `.add` / `.setdefault` / `.update({...})`.
pub fn header_writes_in_call(call: &ast::ExprCall) -> Vec<HeaderWrite<'_>> {
    let Expr::Attribute(attr) = &*call.func else {
        return Vec::new();
    };
    if !is_headers_object(&attr.value) {
        return Vec::new();
    }
    match attr.attr.as_str() {
        "set" | "add" | "setdefault" | "add_header" => {
            match (
                call.arguments.find_positional(0),
                call.arguments.find_positional(1),
            ) {
                (Some(Expr::StringLiteral(name)), Some(value)) => vec![HeaderWrite {
                    name: name.value.to_str(),
                    name_range: name.range(),
                    value,
                }],
                _ => Vec::new(),
            }
        }
        "update" | "extend" => call
            .arguments
            .args
            .iter()
            .filter_map(|arg| arg.as_dict_expr())
            .flat_map(header_writes_in_dict)
            .collect(),
        _ => Vec::new(),
    }
}

/// Every `"Name": value` entry of a dict literal.
pub fn header_writes_in_dict(dict: &ast::ExprDict) -> Vec<HeaderWrite<'_>> {
    dict.items
        .iter()
        .filter_map(|item| {
            let Some(Expr::StringLiteral(name)) = &item.key else {
                return None;
            };
            Some(HeaderWrite {
                name: name.value.to_str(),
                name_range: name.range(),
                value: &item.value,
            })
        })
        .collect()
}
