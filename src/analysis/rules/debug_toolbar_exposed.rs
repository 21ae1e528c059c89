//! FH107 `debug-toolbar-exposed`: Flask-DebugToolbar reachable in production.
//! The code half (an unguarded `DebugToolbarExtension(app)` / `init_app(app)`,
//! `DEBUG_TB_ENABLED = True`) is checked here while modules are walked; the
//! dependency half (flask-debugtoolbar declared as a production dependency)
//! comes from [`crate::deps`] through `vulnerable_dependency::check_dependency_file`
//! and is turned into diagnostics by `dependency_diagnostic`.

use ruff_python_ast::visitor::{Visitor, walk_expr};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::autofix::line_ending;
use crate::analysis::checker::Checker;
use crate::analysis::codes::{Rule, RuleSet};
use crate::analysis::config_values::{ConfigSetting, is_truthy_literal};
use crate::analysis::diagnostic::{Diagnostic, Edit, Fix};
use crate::analysis::discovery::TextFileKind;
use crate::analysis::imports::ensure_import;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;
use crate::analysis::rules::vulnerable_dependency;
use crate::analysis::semantic::is_development_guard;
use crate::analysis::source::SourceFile;
use crate::deps::DepFinding;
use crate::edit::text_range;

/// The rule's documentation, printed by `flask-harden rule FH107`.
pub const DOC: &str = r#"## What it does
Finds Flask-DebugToolbar that can run in production:
`DebugToolbarExtension(app)` or `toolbar.init_app(app)` not guarded by a
debug/development check, `DEBUG_TB_ENABLED = True` outside development
configuration, and `flask-debugtoolbar` declared as a production dependency: in
`requirements.txt`, `requirements/base*.txt`, `requirements/prod*.txt`,
`[project].dependencies` or `[tool.poetry.dependencies]` of `pyproject.toml`.

Development configuration, test code, and development dependency files and
groups are fine: `requirements-dev*.txt`, `requirements/dev*.txt`,
`requirements/test*.txt`, and extras or dependency groups named `dev`, `test`,
`lint` or `docs`.

## Why is this bad?
The toolbar shows the application's configuration (including `SECRET_KEY` and
database URLs), every SQL query, request headers and cookies, and template
context to whoever loads a page; its profiler and template editor give further
leverage. Shipping it as a production dependency makes it one configuration
mistake away from being switched on.

## Example
```python
from flask_debugtoolbar import DebugToolbarExtension

DebugToolbarExtension(app)
```
```text
# requirements.txt
flask==3.1.3
flask-debugtoolbar==0.16.0
```

Use instead:
```python
if app.debug:
    from flask_debugtoolbar import DebugToolbarExtension

    DebugToolbarExtension(app)
```
```text
# requirements.txt
flask==3.1.3

# requirements-dev.txt
-r requirements.txt
flask-debugtoolbar==0.16.0
```

## Fix safety
The fix is safe. In code it guards the call behind `if app.debug:` (for an
assignment, `... if app.debug else None`) and ties `DEBUG_TB_ENABLED` to
`FLASK_DEBUG`. For dependencies the requirement moves, unchanged, from the
production list to the development one (`requirements-dev.txt`, created with
`-r requirements.txt` when missing; `requirements/dev.txt` beside
`requirements/base.txt`; `[dependency-groups].dev` or an existing `dev` extra in
`pyproject.toml`; Poetry's `dev` group). Development installs keep the toolbar;
production installs no longer get it. When a module-level
`from flask_debugtoolbar import DebugToolbarExtension` serves only the guarded
call, the code fix moves that import into the `if app.debug:` block too
(`toolbar = None` first for an assignment), and `fix` then moves the
dependency in its next pass. Otherwise the move is withheld (the finding stays,
report only) while a module imports `flask_debugtoolbar` at import time outside
a debug guard or `try`: a production install without the package would fail
to start. Move that import into the `if app.debug:` block first.

## References
- CWE-489: Active Debug Code, https://cwe.mitre.org/data/definitions/489.html
- OWASP Top 10 A05:2021 Security Misconfiguration, https://owasp.org/Top10/A05_2021-Security_Misconfiguration/
- Flask-DebugToolbar, https://flask-debugtoolbar.readthedocs.io/
- PEP 735 dependency groups, https://peps.python.org/pep-0735/
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "debug-toolbar-exposed",
    fix: FixAvailability::Safe,
    cwe: "CWE-489",
    owasp: "A05:2021",
    owasp_title: "Security Misconfiguration",
    summary: "Flask-DebugToolbar enabled without a debug/development guard, or shipped in production dependencies",
    doc: Some(DOC),
    hooks: Hooks {
        call: Some(check_call),
        setting: Some(check_setting),
        text_file: Some(check_text_file),
        ..Hooks::NONE
    },
};

const TOOLBAR: &str = "flask_debugtoolbar.DebugToolbarExtension";

/// `DebugToolbarExtension(app)`, `toolbar.init_app(app)`.
pub(crate) fn check_call(checker: &mut Checker, call: &ast::ExprCall) {
    if checker.in_development_context() {
        return;
    }
    let semantic = checker.semantic();
    let app_arg = call
        .arguments
        .find_argument_value("app", 0)
        .filter(|a| !a.is_string_literal_expr());
    let Some(app) = app_arg else { return };
    let is_constructor = semantic.resolves_to(&call.func, &[TOOLBAR]);
    let is_init_app = match &*call.func {
        Expr::Attribute(attr) if attr.attr.as_str() == "init_app" => match &*attr.value {
            Expr::Name(name) => {
                semantic
                    .call_binding(&name.id)
                    .is_some_and(|b| b.callee.dotted() == TOOLBAR)
                    || name.id.to_ascii_lowercase().contains("toolbar")
            }
            Expr::Attribute(inner) => inner.attr.to_ascii_lowercase().contains("toolbar"),
            _ => false,
        },
        _ => false,
    };
    if !is_constructor && !is_init_app {
        return;
    }
    // `toolbar = DebugToolbarExtension(app) if app.debug else None` is guarded.
    if let Some(Stmt::Assign(assign)) = semantic.current_statement()
        && let Expr::If(ternary) = &*assign.value
        && matches!(&*ternary.body, Expr::Call(c) if std::ptr::eq(c, call))
        && is_development_guard(&ternary.test)
    {
        return;
    }
    let app_text = checker.source().slice(app.range()).to_owned();
    let message = format!(
        "The Flask-DebugToolbar is enabled without a debug check: in production it shows configuration (including secrets), sessions and SQL to anyone. Guard it with `if {app_text}.debug:` and keep flask-debugtoolbar in development dependencies"
    );
    let fix = guard_fix(checker, call, &app_text);
    checker.report(Diagnostic::new(Rule::DebugToolbarExposed, call.range(), message).with_fix(fix));
}

/// Wraps an expression statement in `if app.debug:`; turns `x = call` into
/// `x = call if app.debug else None`. When a module-level
/// `from flask_debugtoolbar import DebugToolbarExtension` serves only this
/// call, the import moves into the guard too (`x = None` then `if app.debug:`
/// with the import and the call), so a production install no longer needs
/// flask-debugtoolbar and the dependency can move to development.
fn guard_fix(checker: &Checker, call: &ast::ExprCall, app: &str) -> Fix {
    let statement = checker.semantic().current_statement();
    let is_value = |value: &Expr| matches!(value, Expr::Call(c) if std::ptr::eq(c, call));
    if let Some(import) = movable_import(checker, call)
        && let Some(edits) = guard_with_import(checker, statement, call, app, import)
    {
        return Fix::safe(
            format!(
                "Enable the debug toolbar only when {app}.debug is set, importing flask_debugtoolbar there"
            ),
            edits,
        );
    }
    let message = format!("Enable the debug toolbar only when {app}.debug is set");
    let edits = match statement {
        Some(Stmt::Expr(expr)) if is_value(&expr.value) => {
            let source = checker.source();
            let indent: String = source
                .line_text(expr.start())
                .trim_start_matches('\u{feff}')
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let unit = if indent.contains('\t') { "\t" } else { "    " };
            let eol = line_ending(source.text());
            vec![Edit::insertion(
                format!("if {app}.debug:{eol}{indent}{unit}"),
                expr.start(),
            )]
        }
        Some(Stmt::Assign(assign)) if is_value(&assign.value) => {
            vec![Edit::insertion(
                format!(" if {app}.debug else None"),
                call.end(),
            )]
        }
        _ => Vec::new(),
    };
    Fix::safe(message, edits)
}

/// The module-level `from flask_debugtoolbar import DebugToolbarExtension`
/// (one name, alone on its lines) when the module uses that name only in `call`.
fn movable_import<'a>(
    checker: &Checker<'a>,
    call: &ast::ExprCall,
) -> Option<&'a ast::StmtImportFrom> {
    let Expr::Name(callee) = &*call.func else {
        return None;
    };
    let suite = checker.parsed().suite();
    let import = suite.iter().find_map(|stmt| match stmt {
        Stmt::ImportFrom(from)
            if from.level == 0
                && from.module.as_deref() == Some("flask_debugtoolbar")
                && from.names.len() == 1
                && from.names[0]
                    .asname
                    .as_ref()
                    .unwrap_or(&from.names[0].name)
                    .as_str()
                    == callee.id.as_str() =>
        {
            Some(from)
        }
        _ => None,
    })?;
    let source = checker.source();
    let line = source.line_range(import.start());
    let alone = source
        .slice(TextRange::new(line.start(), import.start()))
        .trim()
        .is_empty()
        && source
            .slice(TextRange::new(
                import.end(),
                source.line_range(import.end()).end(),
            ))
            .trim()
            .is_empty();
    (alone && count_loads(suite, callee.id.as_str()) == 1).then_some(import)
}

/// How many times `name` is read in `suite`.
fn count_loads(suite: &[Stmt], name: &str) -> usize {
    struct Counter<'n> {
        name: &'n str,
        count: usize,
    }
    impl<'a> Visitor<'a> for Counter<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Name(n) = expr
                && n.id.as_str() == self.name
            {
                self.count += 1;
            }
            walk_expr(self, expr);
        }
    }
    let mut counter = Counter { name, count: 0 };
    counter.visit_body(suite);
    counter.count
}

/// The edits of [`guard_fix`] that also move `import` into the guard.
fn guard_with_import(
    checker: &Checker,
    statement: Option<&Stmt>,
    call: &ast::ExprCall,
    app: &str,
    import: &ast::StmtImportFrom,
) -> Option<Vec<Edit>> {
    let source = checker.source();
    let eol = line_ending(source.text());
    let (start, target) = match statement? {
        Stmt::Expr(expr) if matches!(&*expr.value, Expr::Call(c) if std::ptr::eq(c, call)) => {
            (expr.start(), None)
        }
        Stmt::Assign(assign)
            if assign.targets.len() == 1
                && matches!(&*assign.value, Expr::Call(c) if std::ptr::eq(c, call)) =>
        {
            (
                assign.start(),
                Some(source.slice(assign.targets[0].range())),
            )
        }
        _ => return None,
    };
    let indent: String = source
        .line_text(start)
        .trim_start_matches('\u{feff}')
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let unit = if indent.contains('\t') { "\t" } else { "    " };
    let import_text = source.slice(import.range());
    let mut prefix = String::new();
    if let Some(target) = target {
        prefix.push_str(&format!("{target} = None{eol}{indent}"));
    }
    prefix.push_str(&format!(
        "if {app}.debug:{eol}{indent}{unit}{import_text}{eol}{indent}{unit}"
    ));
    // The import's whole line goes, line break included.
    let line = source.line_range(import.start());
    let next_line = source.line_start(source.line_col(import.start()).line + 1);
    let removed = if next_line > line.end() {
        TextRange::new(line.start(), next_line)
    } else {
        line
    };
    Some(vec![
        Edit::deletion(removed),
        Edit::insertion(prefix, start),
    ])
}

/// `DEBUG_TB_ENABLED = True` in any configuration form.
pub(crate) fn check_setting(checker: &mut Checker, setting: &ConfigSetting) {
    if setting.key != "DEBUG_TB_ENABLED"
        || !is_truthy_literal(setting.value)
        || checker.in_development_context()
    {
        return;
    }
    let message = "`DEBUG_TB_ENABLED = True` turns the debug toolbar on regardless of debug mode, exposing configuration and secrets. Remove it or tie it to `FLASK_DEBUG`, and keep it only in development configuration";
    let mut edits = vec![Edit::replacement(
        r#"os.environ.get("FLASK_DEBUG") == "1""#,
        setting.value.range(),
    )];
    edits.extend(ensure_import(checker.module(), "os"));
    let fix =
        Fix::safe("Enable the toolbar only when FLASK_DEBUG=1", edits).reading_env("FLASK_DEBUG");
    checker.report(
        Diagnostic::new(Rule::DebugToolbarExposed, setting.finding_range(), message).with_fix(fix),
    );
}

/// The FH107 diagnostic for flask-debugtoolbar in production dependencies.
/// In `pyproject.toml` the fix carries the edits; in a requirements file it
/// also writes the development file, which the fix asks for with
/// [`Fix::moves_to_development`] (its edits are left empty) and `remediate`
/// does through [`crate::deps::move_debug_toolbar_to_development`].
pub(crate) fn dependency_diagnostic(finding: &DepFinding) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        Rule::DebugToolbarExposed,
        text_range(&finding.range),
        finding.message.clone(),
    );
    if let Some(fix) = &finding.fix {
        diagnostic = diagnostic.with_fix(if fix.dev_file.is_some() {
            Fix::safe(fix.message.clone(), Vec::new())
                .moving_to_development(crate::deps::DEBUG_TOOLBAR)
        } else {
            Fix::safe(fix.message.clone(), fix.edits.clone())
        });
    }
    diagnostic
}

/// The dependency half in production dependency files. FH601's hook reads
/// the same files and reports both rules when it is enabled; this one runs the
/// check only when FH601 is not, so each file is read once.
fn check_text_file(kind: TextFileKind, source: &SourceFile, rules: RuleSet) -> Vec<Diagnostic> {
    if rules.contains(Rule::VulnerableDependency) {
        return Vec::new();
    }
    vulnerable_dependency::check_dependency_file(kind, source, rules)
}

/// Withdraws the fix of an FH107 dependency finding while a module (`import`:
/// relative path and line) imports flask_debugtoolbar at import time outside a
/// debug guard: moving the package to the development dependencies would make
/// a production install fail to start. The message says why.
pub(crate) fn withhold_dependency_move(diagnostic: &mut Diagnostic, import: &(String, usize)) {
    if diagnostic.rule != Rule::DebugToolbarExposed || diagnostic.fix.is_none() {
        return;
    }
    let (module, line) = import;
    diagnostic.fix = None;
    if !diagnostic.message.ends_with('.') {
        diagnostic.message.push('.');
    }
    diagnostic.message.push_str(&format!(
        " It is not moved to the development dependencies automatically: {module}:{line} imports flask_debugtoolbar at import time, which would fail in production; import it inside the `if app.debug:` block first"
    ));
}
