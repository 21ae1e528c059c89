//! Rewriting SQL built by string formatting into SQL with bound parameters, for
//! the FH302 fix. A formatted SQL expression (an f-string, a `+` chain, `%`
//! formatting or `"...".format(...)`) is split into literal text and
//! interpolated values; each value that sits where SQL expects a value (inside a
//! quoted literal, after a comparison operator, `LIKE`, `LIMIT`/`OFFSET`, or in
//! a `VALUES (...)` list) becomes a placeholder in the driver's style and a bound
//! parameter. A value anywhere else (a table or column name) cannot be bound,
//! and then there is no rewrite: the finding stays report-only.

use ruff_python_ast::{self as ast, ConversionFlag, Expr, FStringPart, InterpolatedStringElement};
use ruff_text_size::Ranged;

/// A driver's placeholder style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// sqlite3: `?`.
    Qmark,
    /// DB-API drivers such as psycopg and PyMySQL: `%s`.
    Format,
    /// SQLAlchemy `text()`: `:name`.
    Named,
}

/// The rewritten query: a Python string literal with placeholders, and the
/// parameters as `(name, python expression)` in placeholder order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundQuery {
    /// The new SQL as Python source (a string literal).
    pub sql: String,
    /// Parameter names (for the named style) and their Python expressions.
    pub params: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
enum Part<'a> {
    Text(String),
    Value(&'a Expr),
}

/// Rewrites `expr` (source `text`) into SQL with bound parameters, or `None`
/// when it is not a formatting expression this understands or a value is not
/// in a value position.
pub fn bind_parameters(expr: &Expr, text: &str, style: ParamStyle) -> Option<BoundQuery> {
    let mut parts = Vec::new();
    split(expr, &mut parts)?;
    if !parts.iter().any(|p| matches!(p, Part::Value(_))) {
        return None;
    }
    if !accepts_bound_parameters(&parts) {
        return None;
    }
    // One stream of characters and values.
    enum Item<'a> {
        Char(char),
        Value(&'a Expr),
    }
    let mut items = Vec::new();
    for part in &parts {
        match part {
            Part::Text(t) => items.extend(t.chars().map(Item::Char)),
            Part::Value(v) => items.push(Item::Value(v)),
        }
    }
    let mut sql = String::new();
    let mut params: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    let push_param = |sql: &mut String, pieces: Vec<Part>, params: &mut Vec<(String, String)>| {
        let value = python_value(&pieces, text)?;
        let name = unique_name(&param_name(&pieces), params);
        match style {
            ParamStyle::Qmark => sql.push('?'),
            ParamStyle::Format => sql.push_str("%s"),
            ParamStyle::Named => {
                sql.push(':');
                sql.push_str(&name);
            }
        }
        params.push((name, value));
        Some(())
    };
    while i < items.len() {
        match &items[i] {
            Item::Char('\'') => {
                // A quoted SQL literal: up to the closing quote (`''` escapes one).
                let mut j = i + 1;
                let mut pieces: Vec<Part> = Vec::new();
                let mut has_value = false;
                let mut closed = false;
                while j < items.len() {
                    match &items[j] {
                        Item::Char('\'') if matches!(items.get(j + 1), Some(Item::Char('\''))) => {
                            push_text(&mut pieces, '\'');
                            j += 2;
                        }
                        Item::Char('\'') => {
                            closed = true;
                            break;
                        }
                        Item::Char(c) => {
                            push_text(&mut pieces, *c);
                            j += 1;
                        }
                        Item::Value(v) => {
                            has_value = true;
                            pieces.push(Part::Value(v));
                            j += 1;
                        }
                    }
                }
                if !closed {
                    return None;
                }
                if has_value {
                    push_param(&mut sql, pieces, &mut params)?;
                } else {
                    for item in &items[i..=j] {
                        if let Item::Char(c) = item {
                            push_sql_char(&mut sql, *c, style);
                        }
                    }
                }
                i = j + 1;
            }
            Item::Char(c) => {
                push_sql_char(&mut sql, *c, style);
                i += 1;
            }
            Item::Value(v) => {
                if !in_value_position(&sql) {
                    return None;
                }
                push_param(&mut sql, vec![Part::Value(v)], &mut params)?;
                i += 1;
            }
        }
    }
    Some(BoundQuery {
        sql: python_string(&sql),
        params,
    })
}

/// Statements that take bound parameters: the data-manipulation ones. Others
/// (`SET`, DDL such as `ALTER`/`CREATE`, `PRAGMA`, `GRANT`...) refuse
/// placeholders in most databases (PostgreSQL rejects `SET x = $1`), so a
/// rewrite would compile but fail at run time.
fn accepts_bound_parameters(parts: &[Part]) -> bool {
    const DML: [&str; 8] = [
        "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "REPLACE", "MERGE", "VALUES",
    ];
    let Some(Part::Text(head)) = parts.first() else {
        return false;
    };
    let keyword: String = head
        .trim_start_matches(|c: char| c.is_whitespace() || c == '(')
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    DML.iter().any(|k| k.eq_ignore_ascii_case(&keyword))
}

fn push_text(pieces: &mut Vec<Part>, c: char) {
    if let Some(Part::Text(t)) = pieces.last_mut() {
        t.push(c);
    } else {
        pieces.push(Part::Text(c.to_string()));
    }
}

fn push_sql_char(sql: &mut String, c: char, style: ParamStyle) {
    if c == '%' && style == ParamStyle::Format {
        sql.push_str("%%");
    } else {
        sql.push(c);
    }
}

/// Whether SQL text ending here expects a value next.
fn in_value_position(sql: &str) -> bool {
    let lower = sql.to_ascii_lowercase();
    let trimmed = lower.trim_end();
    if trimmed.ends_with(['=', '<', '>'])
        || [" like", " limit", " offset", " between", " and"]
            .iter()
            .any(|k| trimmed.ends_with(k) && (*k != " and" || lower.contains(" between ")))
    {
        return true;
    }
    // Inside `VALUES (...)`.
    if trimmed.ends_with(['(', ','])
        && let Some(values) = lower.rfind("values")
    {
        let after = &lower[values..];
        return after.matches('(').count() > after.matches(')').count();
    }
    false
}

/// Splits a formatting expression into text and values.
fn split<'a>(expr: &'a Expr, out: &mut Vec<Part<'a>>) -> Option<()> {
    match expr {
        Expr::StringLiteral(s) => out.push(Part::Text(s.value.to_str().to_owned())),
        Expr::FString(f) => {
            for part in &f.value {
                match part {
                    FStringPart::Literal(l) => out.push(Part::Text(l.value.to_string())),
                    FStringPart::FString(fs) => {
                        for element in &fs.elements {
                            match element {
                                InterpolatedStringElement::Literal(l) => {
                                    out.push(Part::Text(l.value.to_string()));
                                }
                                InterpolatedStringElement::Interpolation(i) => {
                                    if i.conversion != ConversionFlag::None
                                        || i.format_spec.is_some()
                                        || i.debug_text.is_some()
                                    {
                                        return None;
                                    }
                                    out.push(Part::Value(&i.expression));
                                }
                            }
                        }
                    }
                }
            }
        }
        Expr::BinOp(op) if op.op == ast::Operator::Add => {
            split(&op.left, out)?;
            match &*op.right {
                Expr::StringLiteral(_) | Expr::FString(_) | Expr::BinOp(_) => {
                    split(&op.right, out)?;
                }
                other => out.push(Part::Value(other)),
            }
        }
        Expr::BinOp(op) if op.op == ast::Operator::Mod => {
            let Expr::StringLiteral(template) = &*op.left else {
                return None;
            };
            let values: Vec<&Expr> = match &*op.right {
                Expr::Tuple(t) => t.elts.iter().collect(),
                Expr::Dict(_) => return None,
                other => vec![other],
            };
            let mut values = values.into_iter();
            let mut chars = template.value.to_str().chars().peekable();
            let mut text = String::new();
            while let Some(c) = chars.next() {
                if c != '%' {
                    text.push(c);
                    continue;
                }
                match chars.next()? {
                    '%' => text.push('%'),
                    's' | 'd' | 'i' | 'f' => {
                        out.push(Part::Text(std::mem::take(&mut text)));
                        out.push(Part::Value(values.next()?));
                    }
                    _ => return None,
                }
            }
            if values.next().is_some() {
                return None;
            }
            out.push(Part::Text(text));
        }
        Expr::Call(call) => {
            let Expr::Attribute(attr) = &*call.func else {
                return None;
            };
            let Expr::StringLiteral(template) = &*attr.value else {
                return None;
            };
            if attr.attr.as_str() != "format" || !call.arguments.keywords.is_empty() {
                return None;
            }
            let args = &call.arguments.args;
            let mut next = 0usize;
            let mut chars = template.value.to_str().chars().peekable();
            let mut text = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '{' if chars.peek() == Some(&'{') => {
                        chars.next();
                        text.push('{');
                    }
                    '}' if chars.peek() == Some(&'}') => {
                        chars.next();
                        text.push('}');
                    }
                    '{' => {
                        let mut field = String::new();
                        loop {
                            match chars.next()? {
                                '}' => break,
                                ch => field.push(ch),
                            }
                        }
                        let index = if field.is_empty() {
                            next += 1;
                            next - 1
                        } else {
                            field.parse().ok()?
                        };
                        let value = args.get(index)?;
                        if matches!(value, Expr::Starred(_)) {
                            return None;
                        }
                        out.push(Part::Text(std::mem::take(&mut text)));
                        out.push(Part::Value(value));
                    }
                    '}' => return None,
                    other => text.push(other),
                }
            }
            out.push(Part::Text(text));
        }
        _ => return None,
    }
    Some(())
}

/// The Python expression of one parameter: the value itself, or an f-string
/// when the quoted SQL literal had text around the value (`'%{term}%'`).
fn python_value(pieces: &[Part], text: &str) -> Option<String> {
    if let [Part::Value(v)] = pieces {
        let source = &text[v.range()];
        let simple = matches!(
            v,
            Expr::Name(_)
                | Expr::Attribute(_)
                | Expr::Subscript(_)
                | Expr::Call(_)
                | Expr::StringLiteral(_)
                | Expr::NumberLiteral(_)
        );
        return Some(if simple {
            source.to_owned()
        } else {
            format!("({source})")
        });
    }
    let mut out = String::from("f\"");
    for piece in pieces {
        match piece {
            Part::Text(t) => {
                for c in t.chars() {
                    match c {
                        '{' => out.push_str("{{"),
                        '}' => out.push_str("}}"),
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        other => out.push(other),
                    }
                }
            }
            Part::Value(v) => {
                let source = &text[v.range()];
                if source.contains(['"', '\\', '\n', '{', '}']) {
                    return None;
                }
                out.push('{');
                out.push_str(source);
                out.push('}');
            }
        }
    }
    out.push('"');
    Some(out)
}

/// A parameter name for the named style: the variable, attribute or key name.
fn param_name(pieces: &[Part]) -> String {
    let candidate = pieces.iter().find_map(|piece| match piece {
        Part::Value(Expr::Name(n)) => Some(n.id.to_string()),
        Part::Value(Expr::Attribute(a)) => Some(a.attr.to_string()),
        Part::Value(Expr::Subscript(s)) => match &*s.slice {
            Expr::StringLiteral(k) => Some(k.value.to_str().to_owned()),
            _ => None,
        },
        _ => None,
    });
    match candidate {
        Some(name)
            if !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit()) =>
        {
            name
        }
        _ => "param".to_owned(),
    }
}

fn unique_name(base: &str, taken: &[(String, String)]) -> String {
    if !taken.iter().any(|(n, _)| n == base) {
        return base.to_owned();
    }
    (2..)
        .map(|i| format!("{base}_{i}"))
        .find(|candidate| !taken.iter().any(|(n, _)| n == candidate))
        .unwrap_or_else(|| base.to_owned())
}

/// A double-quoted Python string literal (triple-quoted when it spans lines).
fn python_string(value: &str) -> String {
    let multi_line = value.contains('\n');
    let mut out = String::from(if multi_line { "\"\"\"" } else { "\"" });
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\r' => out.push_str("\\r"),
            '\n' if multi_line => out.push('\n'),
            other => out.push(other),
        }
    }
    out.push_str(if multi_line { "\"\"\"" } else { "\"" });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::parse::parse_python;

    fn rewrite(src: &str, style: ParamStyle) -> Option<(String, Vec<String>)> {
        let module = parse_python(src);
        let ruff_python_ast::Stmt::Expr(stmt) = &module.suite()[0] else {
            panic!()
        };
        bind_parameters(&stmt.value, src, style).map(|q| {
            (
                q.sql,
                q.params
                    .into_iter()
                    .map(|(n, v)| format!("{n}={v}"))
                    .collect(),
            )
        })
    }

    #[test]
    fn quoted_values_become_parameters() {
        assert_eq!(
            rewrite(
                "f\"SELECT id FROM posts WHERE title LIKE '%{term}%' AND id = {n}\"",
                ParamStyle::Qmark
            ),
            Some((
                "\"SELECT id FROM posts WHERE title LIKE ? AND id = ?\"".to_owned(),
                vec!["term=f\"%{term}%\"".to_owned(), "n=n".to_owned()]
            ))
        );
        assert_eq!(
            rewrite(
                "\"SELECT * FROM sales WHERE region = '%s' ORDER BY day\" % region",
                ParamStyle::Format
            ),
            Some((
                "\"SELECT * FROM sales WHERE region = %s ORDER BY day\"".to_owned(),
                vec!["region=region".to_owned()]
            ))
        );
        assert_eq!(
            rewrite(
                "\"INSERT INTO t (a, b) VALUES ('{}', {})\".format(x.a, d['b'])",
                ParamStyle::Named
            ),
            Some((
                "\"INSERT INTO t (a, b) VALUES (:a, :b)\"".to_owned(),
                vec!["a=x.a".to_owned(), "b=d['b']".to_owned()]
            ))
        );
        assert_eq!(
            rewrite(
                "\"SELECT id FROM posts WHERE title LIKE '%\" + term + \"%'\"",
                ParamStyle::Format
            ),
            Some((
                "\"SELECT id FROM posts WHERE title LIKE %s\"".to_owned(),
                vec!["term=f\"%{term}%\"".to_owned()]
            ))
        );
    }

    #[test]
    fn identifiers_cannot_be_bound() {
        assert_eq!(
            rewrite("f\"SELECT COUNT(*) FROM {table}\"", ParamStyle::Qmark),
            None
        );
        assert_eq!(
            rewrite("\"DELETE FROM \" + table + \";\"", ParamStyle::Qmark),
            None
        );
        assert_eq!(rewrite("f\"SELECT {x!r}\"", ParamStyle::Qmark), None);
    }

    #[test]
    fn only_data_statements_are_rewritten() {
        for src in [
            "f\"SET LOCAL lock_timeout = '{timeout}s'\"",
            "f\"ALTER TABLE users ALTER COLUMN name SET DEFAULT '{default}'\"",
            "f\"PRAGMA key = '{key}'\"",
            "f\"{prefix} WHERE id = {n}\"",
        ] {
            assert_eq!(rewrite(src, ParamStyle::Named), None, "{src}");
        }
        assert!(rewrite("f\"  (select id from t where a = {a})\"", ParamStyle::Qmark).is_some());
        assert!(
            rewrite(
                "f\"WITH x AS (SELECT 1) SELECT * FROM x WHERE a = {a}\"",
                ParamStyle::Qmark
            )
            .is_some()
        );
    }
}
