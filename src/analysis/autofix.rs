//! Edit builders shared by rules that attach fixes: adding an `import` at the
//! top of a module (after the docstring and `from __future__` imports), and the
//! file's own line ending so inserted lines match CRLF files.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};

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
    let source = checker.source();
    let suite = checker.parsed().suite();
    let eol = line_ending(source.text());
    let mut insert_at = None;
    for (i, stmt) in suite.iter().enumerate() {
        let is_docstring =
            i == 0 && matches!(stmt, Stmt::Expr(e) if matches!(&*e.value, Expr::StringLiteral(_)));
        let is_future =
            matches!(stmt, Stmt::ImportFrom(f) if f.module.as_deref() == Some("__future__"));
        if !is_docstring && !is_future {
            insert_at = Some(stmt.start());
            break;
        }
    }
    let at = match insert_at {
        // Insert at the start of that statement's line.
        Some(offset) => source.line_range(offset).start(),
        None => {
            // Only a docstring / future imports: append after the last statement.
            let end = suite.last().map_or(TextSize::from(0), |s| {
                let line = source.line_range(s.end());
                line.end()
            });
            return Some(Edit::insertion(format!("{eol}import {module}{eol}"), end));
        }
    };
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
