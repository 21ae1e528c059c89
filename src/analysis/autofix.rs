//! Edit builders shared by rules that attach fixes: adding an `import` at the
//! top of a module (after the docstring and `from __future__` imports), and the
//! file's own line ending so inserted lines match CRLF files.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::checker::Checker;
use super::diagnostic::Edit;

/// The line ending the file uses (`\r\n` when its first line break is CRLF).
pub fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Makes `module` importable under its own name: returns `None` when the module
/// is already imported as `module`, else an edit inserting `import module` on its
/// own line before the first statement that is not a docstring or `__future__` import.
pub fn ensure_import(checker: &Checker, module: &str) -> Option<Edit> {
    if checker
        .semantic()
        .resolve_qualified_name(&name_expr(module))
        .is_some_and(|q| q.is(&[module]))
    {
        return None;
    }
    let eol = line_ending(checker.source().text());
    let at = import_position(checker);
    if checker.parsed().suite().iter().all(|s| s.start() < at) && at > TextSize::from(0) {
        // Only a docstring / future imports: the import goes on a new line at the end.
        return Some(Edit::insertion(format!("{eol}import {module}{eol}"), at));
    }
    Some(Edit::insertion(format!("import {module}{eol}"), at))
}

fn name_expr(id: &str) -> Expr {
    Expr::Name(ruff_python_ast::ExprName {
        node_index: ruff_python_ast::AtomicNodeIndex::NONE,
        range: ruff_text_size::TextRange::default(),
        id: id.into(),
        ctx: ruff_python_ast::ExprContext::Load,
    })
}

/// Makes `name` importable from `module`: `None` when it already resolves to
/// `module.name`; else an edit adding it to the module's first
/// `from module import ...`, or inserting `from module import name` at the top.
pub fn ensure_from_import(checker: &Checker, module: &str, name: &str) -> Option<Edit> {
    let dotted = format!("{module}.{name}");
    if checker
        .semantic()
        .resolve_qualified_name(&name_expr(name))
        .is_some_and(|q| q.dotted() == dotted)
    {
        return None;
    }
    // Join an existing `from module import a, b` at module level.
    let existing = checker.parsed().suite().iter().find_map(|stmt| match stmt {
        Stmt::ImportFrom(from)
            if from.level == 0
                && from.module.as_deref() == Some(module)
                && !from.names.iter().any(|alias| alias.name.as_str() == "*") =>
        {
            from.names.last()
        }
        _ => None,
    });
    if let Some(last) = existing {
        return Some(Edit::insertion(format!(", {name}"), last.end()));
    }
    let at = import_position(checker);
    let eol = line_ending(checker.source().text());
    Some(Edit::insertion(
        format!("from {module} import {name}{eol}"),
        at,
    ))
}

/// Inserts `line` on a new line after `stmt`, with the statement's indentation.
pub fn insert_after_statement(checker: &Checker, stmt: &Stmt, line: &str) -> Option<Edit> {
    let source = checker.source();
    let first_line = source.line_text(stmt.start());
    let indent: String = first_line
        .trim_start_matches('\u{feff}')
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let eol = line_ending(source.text());
    let end = source.line_range(stmt.end()).end();
    Some(Edit::insertion(format!("{eol}{indent}{line}"), end))
}

/// An expression that is true except while the application is under test,
/// evaluated each time it is read (`bool()` of a Werkzeug `LocalProxy`), so a
/// `TESTING = True` set after the app is built still counts; plus the imports
/// it needs. Flask-WTF and flask-talisman read the switches it replaces on
/// every request, so a security switch turned back on keeps an existing test
/// suite (plain-http test client, no CSRF tokens) green.
pub fn on_unless_testing(checker: &Checker) -> (String, Vec<Edit>) {
    let imports = [
        ensure_from_import(checker, "flask", "current_app"),
        ensure_from_import(checker, "werkzeug.local", "LocalProxy"),
    ];
    (
        "LocalProxy(lambda: not current_app.testing)".to_owned(),
        imports.into_iter().flatten().collect(),
    )
}

/// An edit inserting `line` on its own line just before `stmt`, with the same
/// indentation (used for `return app` in an application factory).
pub fn insert_before_statement(checker: &Checker, stmt: &Stmt, line: &str) -> Edit {
    let source = checker.source();
    let line_start = source.line_range(stmt.start()).start();
    let indent = &source.text()[line_start.to_usize()..stmt.start().to_usize()];
    let indent: String = indent
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let eol = line_ending(source.text());
    Edit::insertion(format!("{indent}{line}{eol}"), line_start)
}

/// Where a new top-level import goes: the start of the first statement that is
/// not the docstring or a `__future__` import.
fn import_position(checker: &Checker) -> TextSize {
    let source = checker.source();
    let suite = checker.parsed().suite();
    for (i, stmt) in suite.iter().enumerate() {
        let is_docstring =
            i == 0 && matches!(stmt, Stmt::Expr(e) if matches!(&*e.value, Expr::StringLiteral(_)));
        let is_future =
            matches!(stmt, Stmt::ImportFrom(f) if f.module.as_deref() == Some("__future__"));
        if !is_docstring && !is_future {
            return source.line_range(stmt.start()).start();
        }
    }
    suite
        .last()
        .map_or(TextSize::from(0), |s| source.line_range(s.end()).end())
}

/// Deletes the current statement with its whole lines, when that is certain to
/// leave valid code: the statement is alone on its lines (a trailing comment
/// goes with it) and its body (module, class or function) has other statements.
pub fn delete_current_statement(checker: &Checker) -> Option<Edit> {
    let semantic = checker.semantic();
    let stmt = semantic.current_statement()?;
    let body: &[Stmt] = match semantic.parent_statement() {
        None => checker.parsed().suite(),
        Some(Stmt::ClassDef(class)) => &class.body,
        Some(Stmt::FunctionDef(function)) => &function.body,
        Some(_) => return None,
    };
    if body.len() < 2 {
        return None;
    }
    let source = checker.source();
    let first = source.line_range(stmt.start());
    let last = source.line_range(stmt.end());
    let before = &source.text()[TextRange::new(first.start(), stmt.start())];
    let after = source.text()[TextRange::new(stmt.end(), last.end())].trim_start();
    if !before.trim_start_matches('\u{feff}').trim().is_empty()
        || !(after.is_empty() || after.starts_with('#'))
    {
        return None;
    }
    let next_line = source.line_col(last.start()).line + 1;
    let end = if next_line <= source.line_count() {
        source.line_start(next_line)
    } else {
        TextSize::try_from(source.text().len()).ok()?
    };
    Some(Edit::deletion(TextRange::new(
        first.start(),
        end.max(last.end()),
    )))
}

/// Appends `text` (e.g. `secure=True`) as new arguments at the end of a call's
/// argument list, after the last argument (or inside empty parentheses).
pub fn append_arguments(arguments: &ruff_python_ast::Arguments, text: &str) -> Edit {
    let last_end = arguments
        .args
        .iter()
        .map(Ranged::end)
        .chain(arguments.keywords.iter().map(Ranged::end))
        .max();
    match last_end {
        Some(end) => Edit::insertion(format!(", {text}"), end),
        None => Edit::insertion(text, arguments.end() - TextSize::from(1)),
    }
}
