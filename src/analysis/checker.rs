//! The [`Checker`]: the context passed to every rule while one Python module is
//! walked once in source order. It owns the [`SemanticModel`] (imports, scope
//! stack, development guards), knows which rules are enabled, and collects
//! [`Diagnostic`]s, tagging each with the statement it was found in.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::codes::{Rule, RuleSet};
use super::context::{FileContext, ModuleContext};
use super::diagnostic::Diagnostic;
use super::parse::ParsedModule;
use super::project::ModuleFacts;
use super::request_data::{FlowScopes, Node, ScopeFlow};
use super::rules;
use super::semantic::{ScopeKind, SemanticModel, is_development_guard, is_development_name};
use super::source::SourceFile;

/// The context of one module's analysis, handed to every rule.
pub struct Checker<'a> {
    source: &'a SourceFile,
    parsed: &'a ParsedModule,
    semantic: SemanticModel<'a>,
    rules: RuleSet,
    context: &'a FileContext,
    diagnostics: Vec<Diagnostic>,
    secrets: Vec<TextRange>,
    facts: ModuleFacts,
    flow_scopes: FlowScopes<'a>,
    dispatch: std::sync::Arc<rules::Dispatch>,
}

/// What walking one module produced.
#[derive(Debug, Default)]
pub struct ModuleResult {
    /// Findings (suppressions not yet applied).
    pub diagnostics: Vec<Diagnostic>,
    /// Secret literals to mask in snippets.
    pub secrets: Vec<TextRange>,
    /// Facts for the project-level rules.
    pub facts: ModuleFacts,
}

impl<'a> Checker<'a> {
    /// Prepares a checker for one parsed module.
    pub fn new(
        source: &'a SourceFile,
        parsed: &'a ParsedModule,
        rules: RuleSet,
        context: &'a FileContext,
    ) -> Self {
        Self {
            source,
            parsed,
            semantic: SemanticModel::with_reexports(parsed.suite(), &context.reexports),
            rules,
            context,
            diagnostics: Vec::new(),
            secrets: Vec::new(),
            facts: ModuleFacts::default(),
            flow_scopes: FlowScopes::default(),
            dispatch: rules::Dispatch::of(rules),
        }
    }

    /// Walks the module once, running every enabled rule and collecting the
    /// project facts.
    pub fn run(mut self) -> ModuleResult {
        let suite = self.parsed.suite();
        self.visit_body(suite);
        rules::analyze_module(&mut self, suite);
        ModuleResult {
            diagnostics: self.diagnostics,
            secrets: self.secrets,
            facts: self.facts,
        }
    }

    /// The project facts collected so far (see `project`).
    pub fn facts_mut(&mut self) -> &mut ModuleFacts {
        &mut self.facts
    }

    /// The module as the fix helpers and the project facts collectors see it.
    pub fn module(&self) -> ModuleContext<'_> {
        ModuleContext::new(
            self.source,
            self.parsed,
            &self.semantic,
            self.context,
            self.rules,
        )
    }

    /// The module context together with the project facts, for the
    /// collectors that read one and add to the other.
    pub(crate) fn module_and_facts(&mut self) -> (ModuleContext<'_>, &mut ModuleFacts) {
        let module = ModuleContext::new(
            self.source,
            self.parsed,
            &self.semantic,
            self.context,
            self.rules,
        );
        (module, &mut self.facts)
    }

    /// The secret literals marked so far.
    pub fn secrets(&self) -> &[TextRange] {
        &self.secrets
    }

    /// The project facts collected so far.
    pub fn facts(&self) -> &ModuleFacts {
        &self.facts
    }

    /// The file.
    pub fn source(&self) -> &'a SourceFile {
        self.source
    }

    /// The parse result (tokens, comments).
    pub fn parsed(&self) -> &'a ParsedModule {
        self.parsed
    }

    /// The module's flow scopes, once the walk is done (for tests of the flow).
    #[cfg(test)]
    pub(crate) fn into_flow_scopes(self) -> FlowScopes<'a> {
        self.flow_scopes
    }

    /// The module's flow scopes, as recorded so far (complete after the walk).
    pub fn flow_scopes(&self) -> &FlowScopes<'a> {
        &self.flow_scopes
    }

    /// The current flow scope has a call that a flow rule looks at.
    pub(crate) fn mark_flow_sink(&mut self) {
        self.flow_scopes.mark_sink();
    }

    /// `call`, in the current function, is one a flow rule looks at.
    pub(crate) fn record_flow_sink(&mut self, call: &'a ruff_python_ast::ExprCall) {
        self.flow_scopes.record_sink(call);
    }

    /// Records the callee of a call of the current flow scope.
    pub(crate) fn record_flow_call(&mut self, call: &'a ruff_python_ast::ExprCall) {
        self.flow_scopes.record_call(call);
    }

    /// The current flow scope has a response-building call.
    pub(crate) fn mark_flow_response(&mut self) {
        self.flow_scopes.mark_response();
    }

    /// The enabled rules' hooks, by kind.
    pub(crate) fn dispatch(&self) -> &rules::Dispatch {
        &self.dispatch
    }

    /// The semantic model.
    pub fn semantic(&self) -> &SemanticModel<'a> {
        &self.semantic
    }

    /// Facts about the file (test code, development module, relative path).
    pub fn file(&self) -> &'a FileContext {
        self.context
    }

    /// Whether `rule` is enabled for this file.
    pub fn enabled(&self, rule: Rule) -> bool {
        self.rules.contains(rule)
    }

    /// Whether the current position is development configuration, exempt from
    /// FH101, FH104-FH107, FH204 and FH403: a development module, a class named
    /// as development/testing configuration, or a debug/testing/development guard.
    pub fn in_development_context(&self) -> bool {
        self.context.is_development_module
            || self.semantic.in_development_class()
            || self.semantic.in_development_guard()
    }

    /// Records a finding; the enclosing statement is remembered for suppressions.
    pub fn report(&mut self, mut diagnostic: Diagnostic) {
        if diagnostic.parent.is_none() {
            diagnostic.parent = self.semantic.statements.last().map(|s| s.start());
        }
        self.diagnostics.push(diagnostic);
    }

    /// Marks a secret literal so that snippets never show it.
    pub fn mark_secret(&mut self, range: TextRange) {
        self.secrets.push(range);
    }
}

/// The context of a flow rule's check (a rule with `flow_*` hooks, see
/// `request_data`): the module's [`Checker`] (it derefs to it: source,
/// semantic model, file) and the flow of the scope being analysed, which the
/// checker's walk recorded and the rule asks whether a value carries request
/// data, is a constant, is exception text. Findings go through
/// [`FlowChecker::report`], one per rule and line.
pub struct FlowChecker<'c, 's, 'a> {
    checker: &'c Checker<'a>,
    flow: &'c ScopeFlow<'s, 'a>,
    node: Option<&'c Node<'c, 'a>>,
    found: &'c mut Vec<Diagnostic>,
}

impl<'c, 's, 'a> FlowChecker<'c, 's, 'a> {
    /// The context of the flow rules for one scope, at `node` (`None`: the
    /// scope as a whole); their findings go to `found`.
    pub(crate) fn new(
        checker: &'c Checker<'a>,
        flow: &'c ScopeFlow<'s, 'a>,
        node: Option<&'c Node<'c, 'a>>,
        found: &'c mut Vec<Diagnostic>,
    ) -> Self {
        Self {
            checker,
            flow,
            node,
            found,
        }
    }

    /// The flow of the scope being analysed.
    pub fn flow(&self) -> &'c ScopeFlow<'s, 'a> {
        self.flow
    }

    /// The expression being checked, with its ancestors and the statements
    /// enclosing it in the scope (in `flow_call` and `flow_node` hooks).
    ///
    /// # Panics
    ///
    /// In a `flow_scope` hook, which looks at the scope as a whole.
    pub fn node(&self) -> &'c Node<'c, 'a> {
        self.node
            .expect("the node is known in flow_call and flow_node hooks")
    }

    /// Records a finding. In `flow_call` and `flow_node` hooks the statement
    /// of the node is remembered for suppressions, and a function fed request
    /// data by routes names them in the message.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.found.push(diagnostic);
    }
}

impl<'a> std::ops::Deref for FlowChecker<'_, '_, 'a> {
    type Target = Checker<'a>;

    fn deref(&self) -> &Checker<'a> {
        self.checker
    }
}

/// Whether a file name stem marks development/testing configuration
/// (`development`, `dev`, `local`, `testing`, `settings_dev`): the same word
/// test as class names, see [`is_development_name`].
pub fn is_development_module(stem: &str) -> bool {
    is_development_name(stem)
}

/// Whether a function definition belongs to the module's outline (see
/// [`FlowScopes::outline`](crate::analysis::request_data::FlowScopes::outline)):
/// every statement enclosing it (`enclosing`, outermost first, ending with the
/// definition itself) is a class or function definition, an `if`, a `with`,
/// or a `try` outside whose exception handlers it lies.
fn in_outline(enclosing: &[&Stmt], function: &ast::StmtFunctionDef) -> bool {
    let start = function.start();
    let parents = enclosing
        .split_last()
        .map_or(enclosing, |(_, parents)| parents);
    parents.iter().all(|stmt| match stmt {
        Stmt::ClassDef(_) | Stmt::FunctionDef(_) | Stmt::If(_) | Stmt::With(_) => true,
        Stmt::Try(try_stmt) => !try_stmt
            .handlers
            .iter()
            .any(|handler| handler.range().contains(start)),
        _ => false,
    })
}

impl<'a> Visitor<'a> for Checker<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.semantic.statements.push(stmt);
        self.flow_scopes.record_stmt(stmt);
        rules::analyze_stmt(self, stmt);
        match stmt {
            Stmt::If(if_stmt) => {
                self.visit_expr(&if_stmt.test);
                let guard = is_development_guard(&if_stmt.test);
                self.semantic.dev_guards += usize::from(guard);
                self.visit_body(&if_stmt.body);
                self.semantic.dev_guards -= usize::from(guard);
                for clause in &if_stmt.elif_else_clauses {
                    let guard = clause.test.as_ref().is_some_and(is_development_guard);
                    if let Some(test) = &clause.test {
                        self.visit_expr(test);
                    }
                    self.semantic.dev_guards += usize::from(guard);
                    self.visit_body(&clause.body);
                    self.semantic.dev_guards -= usize::from(guard);
                }
            }
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                let development = is_development_name(class.name.as_str());
                self.semantic.classes.push(class);
                self.semantic.dev_classes += usize::from(development);
                self.semantic.scopes.push(ScopeKind::Class);
                self.flow_scopes.enter_class();
                self.visit_body(&class.body);
                self.flow_scopes.exit_class();
                self.semantic.scopes.pop();
                self.semantic.dev_classes -= usize::from(development);
                self.semantic.classes.pop();
            }
            Stmt::FunctionDef(function) => {
                for decorator in &function.decorator_list {
                    self.visit_decorator(decorator);
                }
                self.flow_scopes.end_decorators();
                self.visit_parameters(&function.parameters);
                if let Some(returns) = &function.returns {
                    self.visit_annotation(returns);
                }
                let class = match self.semantic.scopes.last() {
                    Some(ScopeKind::Class) => self.semantic.classes.last().copied(),
                    _ => None,
                };
                let outlined = in_outline(&self.semantic.statements, function);
                self.flow_scopes.enter_function(function, class, outlined);
                if self.semantic.scopes.is_empty()
                    && self
                        .file()
                        .imported_names
                        .as_ref()
                        .is_some_and(|names| names.contains(function.name.as_str()))
                {
                    self.flow_scopes.set_precise();
                }
                self.semantic.functions.push(function);
                self.semantic.scopes.push(ScopeKind::Function);
                self.visit_body(&function.body);
                self.semantic.scopes.pop();
                self.semantic.functions.pop();
                self.flow_scopes.exit_function();
            }
            _ => visitor::walk_stmt(self, stmt),
        }
        self.flow_scopes.exit_stmt();
        self.semantic.statements.pop();
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.flow_scopes.record_expr(expr);
        rules::analyze_expr(self, expr);
        visitor::walk_expr(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outline_holds_the_functions_of_bodies_branches_and_blocks() {
        let text = "\
def factory():
    @app.post('/a')
    def a(): ...
class Views:
    if True:
        def b(self): ...
with context():
    def c(): ...
try:
    def d(): ...
except ValueError:
    def not_in_handler(): ...
    class Inner:
        def not_in_handler_class(self): ...
else:
    def e(): ...
finally:
    def f(): ...
for item in items:
    def not_in_loop(): ...
while waiting:
    def not_in_while(): ...
";
        let source = SourceFile::from_text(std::path::Path::new("app.py"), text.to_owned());
        let parsed = crate::analysis::parse::parse_python(source.text());
        let context = FileContext::default();
        let mut checker = Checker::new(&source, &parsed, RuleSet::all(), &context);
        checker.visit_body(parsed.suite());
        let outline: Vec<(&str, Option<&str>)> = checker
            .flow_scopes()
            .outline()
            .map(|(f, class)| (f.name.as_str(), class.map(|c| c.name.as_str())))
            .collect();
        assert_eq!(
            outline,
            [
                ("factory", None),
                ("a", None),
                ("b", Some("Views")),
                ("c", None),
                ("d", None),
                ("e", None),
                ("f", None),
            ]
        );
    }

    #[test]
    fn development_module_names() {
        for stem in [
            "development",
            "dev",
            "local",
            "testing",
            "settings_dev",
            "config_local",
        ] {
            assert!(is_development_module(stem), "{stem}");
        }
        for stem in ["config", "settings", "app", "devices", "locale"] {
            assert!(!is_development_module(stem), "{stem}");
        }
    }
}
