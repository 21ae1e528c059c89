//! The rules, one file per rule named after it, and the dispatch that the
//! [`Checker`] calls for every statement and expression of a module (and once per
//! module, and once per non-Python input). This file only declares and
//! dispatches; the checks live in the rule files.

use ruff_python_ast::{Expr, Stmt};

use super::checker::Checker;
use super::diagnostic::Diagnostic;
use super::registry::{Rule, RuleSet};
use super::source::SourceFile;

pub mod debug_mode_enabled;
pub mod debug_toolbar_exposed;
pub mod vulnerable_dependency;

/// The kind of a non-Python input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFileKind {
    /// `.flaskenv`.
    Flaskenv,
    /// `requirements*.txt` and `requirements/*.txt`.
    Requirements,
    /// `pyproject.toml`.
    Pyproject,
}

/// Runs the statement-level rules (called before the statement's children).
pub(crate) fn analyze_stmt<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt) {
    if checker.enabled(Rule::DebugModeEnabled) {
        debug_mode_enabled::check_stmt(checker, stmt);
    }
}

/// Runs the expression-level rules (called before the expression's children).
pub(crate) fn analyze_expr<'a>(checker: &mut Checker<'a>, expr: &'a Expr) {
    let Expr::Call(call) = expr else { return };
    if checker.enabled(Rule::DebugModeEnabled) {
        debug_mode_enabled::check_call(checker, call);
    }
}

/// Runs the module-level rules, after the walk.
pub(crate) fn analyze_module<'a>(_checker: &mut Checker<'a>, _suite: &'a [Stmt]) {}

/// Runs the rules for a non-Python input file.
pub(crate) fn analyze_text_file(
    kind: TextFileKind,
    source: &SourceFile,
    rules: RuleSet,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match kind {
        TextFileKind::Flaskenv => {
            if rules.contains(Rule::DebugModeEnabled) {
                out.extend(debug_mode_enabled::check_flaskenv(source));
            }
        }
        TextFileKind::Requirements | TextFileKind::Pyproject => {
            if rules.contains(Rule::VulnerableDependency)
                || rules.contains(Rule::DebugToolbarExposed)
            {
                out.extend(vulnerable_dependency::check_dependency_file(
                    kind, source, rules,
                ));
            }
        }
    }
    out
}
