//! What the checker's one walk of a module records for the flows: its
//! scopes (each function, and the module's own statements), each scope's
//! bindings in the order Python makes them, return values, calls and the marks
//! that tell which scopes a flow rule can report in ([`FlowScopes`]).

use super::*;

/// What the [`Checker`](crate::analysis::checker::Checker) records about a module's flow
/// scopes while it walks the module once: its functions (each a scope of its
/// own, in source order, outer before nested), the packages it imports, the
/// functions it registers as error handlers, and for each scope whether the
/// flow rules can report anything in it. [`walk_scopes`] then analyses only the
/// scopes that can have findings; the others are never walked again.
#[derive(Debug, Default)]
pub struct FlowScopes<'a> {
    pub(super) functions: Vec<FunctionScope<'a>>,
    pub(super) module: ScopeMarks,
    /// Top-level packages imported anywhere in the module.
    pub(super) modules: HashSet<String>,
    /// Functions registered with `x.register_error_handler(code, f)`.
    pub(super) error_handlers: HashSet<String>,
    /// The functions whose bodies are being walked, innermost last.
    pub(super) open: Vec<usize>,
    /// The bindings of the module's own statements (class and function
    /// bodies excluded), as recorded.
    pub(super) module_bindings: Vec<Recorded<'a>>,
    /// Where the walk records bindings, innermost last (the module when empty).
    pub(super) owners: Vec<Owner>,
    /// The statements being walked, innermost last (see [`Walked`]).
    pub(super) statements: Vec<Walked>,
    /// Where the last lambda the walk met ends: a lambda binds nothing in
    /// the scope, and the expressions met before that offset are in it.
    pub(super) lambda_end: ruff_text_size::TextSize,
}

/// The scope that owns the bindings the walk meets.
#[derive(Debug, Clone, Copy)]
pub(super) enum Owner {
    /// The function at this index of [`FlowScopes::functions`].
    Function(usize),
    /// A class body: its bindings are class attributes, in no flow scope.
    Class,
}

/// A binding as the walk records it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Recorded<'a> {
    pub(super) name: &'a str,
    pub(super) binding: Binding<'a>,
}

/// A statement the walk is in. A scope's bindings are kept in the order
/// Python makes them: statement by statement, and within a statement those
/// of its own expressions (walrus targets, comprehension variables) before
/// its target (`x` in `x = [y for y in ys]`) and before the statements
/// nested in it. The walk meets the expressions after the target, so their
/// bindings are inserted where the statement's began.
#[derive(Debug, Clone, Copy)]
pub(super) struct Walked {
    /// Where the statement's bindings begin in its scope's list.
    pub(super) start: u32,
    /// Bindings of its own expressions recorded so far.
    pub(super) from_expressions: u32,
    /// Whether its own expressions bind in the scope (not those of `try`,
    /// `match` and class statements, nor a function's parameters).
    pub(super) expressions_bind: bool,
}

/// The bindings of one scope by name, each name's in the order they were made.
pub(super) type BindingMap<'a> = HashMap<&'a str, Vec<Binding<'a>>>;

/// The recorded bindings of a scope (already in order) by name.
pub(super) fn binding_map<'a>(recorded: &[Recorded<'a>]) -> BindingMap<'a> {
    let mut map: BindingMap<'a> = HashMap::default();
    for entry in recorded {
        map.entry(entry.name).or_default().push(entry.binding);
    }
    map
}

/// Records the names `target` binds to `binding` (tuples and lists
/// unpacked element by element when the value has the same shape).
pub(super) fn bind_target<'a>(
    into: &mut Vec<Recorded<'a>>,
    target: &'a Expr,
    binding: Binding<'a>,
) {
    match target {
        Expr::Name(name) => into.push(Recorded {
            name: name.id.as_str(),
            binding,
        }),
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            let values = match binding {
                Binding::Value(Expr::Tuple(t)) => Some(&t.elts),
                Binding::Value(Expr::List(l)) => Some(&l.elts),
                _ => None,
            };
            match values {
                Some(values) if values.len() == elts.len() => {
                    for (t, v) in elts.iter().zip(values.iter()) {
                        bind_target(into, t, Binding::Value(v));
                    }
                }
                _ => {
                    let element = match binding {
                        Binding::Value(v) | Binding::Element(v) => Binding::Element(v),
                        other => other,
                    };
                    for t in elts {
                        bind_target(into, t, element);
                    }
                }
            }
        }
        Expr::Starred(s) => {
            let element = match binding {
                Binding::Value(v) | Binding::Element(v) => Binding::Element(v),
                other => other,
            };
            bind_target(into, &s.value, element);
        }
        _ => {}
    }
}

/// One function of the module, as a flow scope.
#[derive(Debug)]
pub(super) struct FunctionScope<'a> {
    pub(super) def: &'a ast::StmtFunctionDef,
    /// The class whose body defines the function directly (for `MethodView` methods).
    pub(super) class: Option<&'a ast::StmtClassDef>,
    /// Defined in the module's outline (see [`FlowScopes::outline`]).
    pub(super) outlined: bool,
    pub(super) marks: ScopeMarks,
    /// The callees of its calls written as a name or `name.attribute`
    /// (`helper(...)`, `queries.find_user(...)`): what it may pass request
    /// data on to.
    pub(super) calls: Vec<(&'a str, Option<&'a str>)>,
    /// Its calls that a flow rule looks at (recorded when `precise`).
    pub(super) sinks: Vec<&'a ast::ExprCall>,
    /// A top-level function other modules import (see [`FlowScopes::set_precise`]).
    pub(super) precise: bool,
    /// The bindings of its body (nested class and function bodies excluded),
    /// in order; its parameters are bound when its flow is built.
    pub(super) bindings: Vec<Recorded<'a>>,
    /// The values of its `return` statements (nested class and function
    /// bodies excluded), in source order.
    pub(super) returns: Vec<&'a Expr>,
}

/// What the walk saw in one scope (its own statements; nested functions are
/// scopes of their own).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct ScopeMarks {
    /// A call that a flow rule looks at (`execute`, `open`, `redirect`, ...).
    pub(super) sink: bool,
    /// An `except ... as name` clause.
    pub(super) caught: bool,
    /// A call that builds a response (`jsonify`, `make_response`, `Response`,
    /// `abort`): exception text reaches clients only through those, or as a
    /// view's or error handler's return value.
    pub(super) response: bool,
}

impl<'a> FlowScopes<'a> {
    /// The walk enters the body of `def` (defined directly in `class`'s body, if any).
    pub fn enter_function(
        &mut self,
        def: &'a ast::StmtFunctionDef,
        class: Option<&'a ast::StmtClassDef>,
        outlined: bool,
    ) {
        self.open.push(self.functions.len());
        self.owners.push(Owner::Function(self.functions.len()));
        self.functions.push(FunctionScope {
            def,
            class,
            outlined,
            marks: ScopeMarks::default(),
            calls: Vec::new(),
            sinks: Vec::new(),
            precise: false,
            bindings: Vec::new(),
            returns: Vec::new(),
        });
    }

    /// The function just entered is one other modules import: its sinks are
    /// recorded, and what its parameters reach is decided on its flow.
    pub fn set_precise(&mut self) {
        if let Some(&index) = self.open.last() {
            self.functions[index].precise = true;
        }
    }

    /// The functions of the module's outline, in source order, with the class
    /// whose body defines each directly: those reached through class and
    /// function bodies, `if`/`else` branches, `with` blocks and the body,
    /// `else` and `finally` parts of `try` (not loops, `match` cases or
    /// exception handlers), where an application defines its views and hooks.
    pub fn outline(
        &self,
    ) -> impl Iterator<Item = (&'a ast::StmtFunctionDef, Option<&'a ast::StmtClassDef>)> + '_ {
        self.functions
            .iter()
            .filter(|scope| scope.outlined)
            .map(|scope| (scope.def, scope.class))
    }

    /// The walk leaves the innermost function body.
    pub fn exit_function(&mut self) {
        self.owners.pop();
        self.open.pop();
    }

    /// The walk enters a class body: what it binds is no flow scope's.
    pub fn enter_class(&mut self) {
        self.owners.push(Owner::Class);
    }

    /// The walk leaves a class body.
    pub fn exit_class(&mut self) {
        self.owners.pop();
    }

    /// The walk leaves the statement it entered last (see [`FlowScopes::record_stmt`]).
    pub fn exit_stmt(&mut self) {
        self.statements.pop();
    }

    /// The walk is done with a function definition's decorators: its
    /// parameters' defaults and annotations bind nothing in the scope.
    pub fn end_decorators(&mut self) {
        if let Some(statement) = self.statements.last_mut() {
            statement.expressions_bind = false;
        }
    }

    /// Where the bindings the walk meets now go (`None`: a class body).
    pub(super) fn bindings_mut(&mut self) -> Option<&mut Vec<Recorded<'a>>> {
        match self.owners.last() {
            None => Some(&mut self.module_bindings),
            Some(Owner::Function(index)) => Some(&mut self.functions[*index].bindings),
            Some(Owner::Class) => None,
        }
    }

    /// Records the names an expression of the current statement binds in
    /// the scope: walrus targets and comprehension variables, in the
    /// statement's own expressions (not in those of a `try`, `match` or
    /// class statement, nor a function's parameters, nor a lambda's body).
    /// The walk calls it for each expression, parents first.
    #[inline]
    pub fn record_expr(&mut self, expr: &'a Expr) {
        if matches!(
            expr,
            Expr::Named(_)
                | Expr::ListComp(_)
                | Expr::SetComp(_)
                | Expr::DictComp(_)
                | Expr::Generator(_)
                | Expr::Lambda(_)
        ) {
            self.record_expr_bindings(expr);
        }
    }

    #[inline(never)]
    pub(super) fn record_expr_bindings(&mut self, expr: &'a Expr) {
        if expr.start() < self.lambda_end {
            return;
        }
        if let Expr::Lambda(lambda) = expr {
            self.lambda_end = lambda.end();
            return;
        }
        let Some(&Walked {
            start,
            from_expressions,
            expressions_bind: true,
        }) = self.statements.last()
        else {
            return;
        };
        let Some(into) = self.bindings_mut() else {
            return;
        };
        let mut found = Vec::new();
        match expr {
            Expr::Named(named) => {
                bind_target(&mut found, &named.target, Binding::Value(&named.value));
            }
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. }) => {
                for generator in generators {
                    bind_target(
                        &mut found,
                        &generator.target,
                        Binding::Element(&generator.iter),
                    );
                }
            }
            _ => return,
        }
        let at = (start + from_expressions) as usize;
        let count = found.len() as u32;
        into.splice(at..at, found);
        if let Some(statement) = self.statements.last_mut() {
            statement.from_expressions += count;
        }
    }

    /// Records the names a statement binds in the current scope, and the
    /// value of a `return`.
    #[inline(never)]
    pub(super) fn record_bindings(&mut self, stmt: &'a Stmt) {
        if let Stmt::Return(ret) = stmt
            && let Some(Owner::Function(index)) = self.owners.last()
        {
            self.functions[*index].returns.extend(ret.value.as_deref());
            return;
        }
        let Some(into) = self.bindings_mut() else {
            return;
        };
        let bind_name = |into: &mut Vec<Recorded<'a>>, name: &'a str, binding: Binding<'a>| {
            into.push(Recorded { name, binding });
        };
        match stmt {
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    bind_target(into, target, Binding::Value(&assign.value));
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    bind_target(into, &assign.target, Binding::Value(value));
                }
            }
            Stmt::AugAssign(assign) => {
                if let Expr::Name(name) = &*assign.target {
                    bind_name(
                        into,
                        name.id.as_str(),
                        Binding::Augmented(assign.op, &assign.value),
                    );
                }
            }
            Stmt::For(for_stmt) => {
                bind_target(into, &for_stmt.target, Binding::Element(&for_stmt.iter));
            }
            Stmt::With(with) => {
                for item in &with.items {
                    if let Some(vars) = &item.optional_vars {
                        bind_target(into, vars, Binding::Element(&item.context_expr));
                    }
                }
            }
            Stmt::Try(try_stmt) => {
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(name) = &handler.name {
                        bind_name(into, name.as_str(), Binding::Exception);
                    }
                }
            }
            Stmt::FunctionDef(function) => {
                bind_name(into, function.name.as_str(), Binding::Unknown)
            }
            Stmt::ClassDef(class) => bind_name(into, class.name.as_str(), Binding::Unknown),
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                    bind_name(
                        into,
                        crate::analysis::semantic::top_segment(bound),
                        Binding::Unknown,
                    );
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                    bind_name(into, bound, Binding::Unknown);
                }
            }
            _ => {}
        }
    }

    /// The function `def` as the walk recorded it (`None` when the walk did
    /// not meet it).
    fn scope_of(&self, def: &ast::StmtFunctionDef) -> Option<&FunctionScope<'a>> {
        self.functions
            .iter()
            .find(|scope| std::ptr::eq(scope.def, def))
    }

    /// The bindings recorded for the function `def` (none when the walk did
    /// not meet it).
    pub(super) fn function_bindings(&self, def: &ast::StmtFunctionDef) -> BindingMap<'a> {
        self.scope_of(def)
            .map(|scope| binding_map(&scope.bindings))
            .unwrap_or_default()
    }

    /// The values `def`'s `return` statements give (none when the walk did
    /// not meet it).
    pub(super) fn function_returns(&self, def: &ast::StmtFunctionDef) -> &[&'a Expr] {
        self.scope_of(def).map_or(&[], |scope| &scope.returns)
    }

    pub(super) fn current(&mut self) -> &mut ScopeMarks {
        match self.open.last() {
            Some(&index) => &mut self.functions[index].marks,
            None => &mut self.module,
        }
    }

    /// The marks of the current scope (the innermost open function, else the module).
    pub(super) fn marks(&self) -> ScopeMarks {
        match self.open.last() {
            Some(&index) => self.functions[index].marks,
            None => self.module,
        }
    }

    /// Whether the current scope already has a sink.
    pub fn has_sink(&self) -> bool {
        self.marks().sink
    }

    /// Records the callee of a call of the current function when written
    /// as a name or `name.attribute` (what request data given to the
    /// function may be passed on to).
    pub fn record_call(&mut self, call: &'a ast::ExprCall) {
        let Some(&index) = self.open.last() else {
            return;
        };
        let callee = match &*call.func {
            Expr::Name(name) => (name.id.as_str(), None),
            Expr::Attribute(attr) => match &*attr.value {
                Expr::Name(name) => (name.id.as_str(), Some(attr.attr.as_str())),
                _ => return,
            },
            _ => return,
        };
        self.functions[index].calls.push(callee);
    }

    /// The current scope has a call that a flow rule looks at.
    pub fn mark_sink(&mut self) {
        self.current().sink = true;
    }

    /// Whether the walk is inside the body of a function whose every sink
    /// is recorded (see [`FlowScopes::set_precise`]).
    pub fn records_sinks(&self) -> bool {
        self.open
            .last()
            .is_some_and(|&index| self.functions[index].precise)
    }

    /// `call`, in the current function, is one a flow rule looks at.
    pub fn record_sink(&mut self, call: &'a ast::ExprCall) {
        if let Some(&index) = self.open.last() {
            let scope = &mut self.functions[index];
            scope.marks.sink = true;
            scope.sinks.push(call);
        }
    }

    /// Whether the current scope already has a response-building call.
    pub fn has_response(&self) -> bool {
        self.marks().response
    }

    /// The current scope has a response-building call (see `stack_trace_exposure::RESPONSE_BUILDERS`).
    pub fn mark_response(&mut self) {
        self.current().response = true;
    }

    /// The walk enters a statement (it calls [`FlowScopes::exit_stmt`] when
    /// it leaves it): records the names it binds in the current scope, and
    /// what it tells about the module: imports, error-handler registrations
    /// (`app.register_error_handler(500, handle)`), caught exceptions.
    pub fn record_stmt(&mut self, stmt: &'a Stmt) {
        let start = self
            .bindings_mut()
            .map_or(0, |bindings| bindings.len() as u32);
        self.statements.push(Walked {
            start,
            from_expressions: 0,
            expressions_bind: !matches!(stmt, Stmt::Try(_) | Stmt::Match(_) | Stmt::ClassDef(_)),
        });
        if matches!(
            stmt,
            Stmt::Assign(_)
                | Stmt::AnnAssign(_)
                | Stmt::AugAssign(_)
                | Stmt::For(_)
                | Stmt::With(_)
                | Stmt::Try(_)
                | Stmt::FunctionDef(_)
                | Stmt::ClassDef(_)
                | Stmt::Import(_)
                | Stmt::ImportFrom(_)
                | Stmt::Return(_)
        ) {
            self.record_bindings(stmt);
        }
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    let root = crate::analysis::semantic::top_segment(alias.name.as_str());
                    if !self.modules.contains(root) {
                        self.modules.insert(root.to_owned());
                    }
                }
            }
            Stmt::ImportFrom(import) if import.level == 0 => {
                if let Some(module) = &import.module {
                    let root = crate::analysis::semantic::top_segment(module.as_str());
                    if !self.modules.contains(root) {
                        self.modules.insert(root.to_owned());
                    }
                }
            }
            Stmt::Expr(ast::StmtExpr { value, .. }) => {
                if let Expr::Call(call) = &**value
                    && let Expr::Attribute(attr) = &*call.func
                    && attr.attr.as_str() == "register_error_handler"
                    && let Some(Expr::Name(handler)) = call.arguments.args.get(1)
                {
                    self.error_handlers.insert(handler.id.to_string());
                }
            }
            Stmt::Try(try_stmt)
                if try_stmt.handlers.iter().any(|handler| {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    handler.name.is_some()
                }) =>
            {
                self.current().caught = true;
            }
            _ => {}
        }
    }

    pub(super) fn is_error_handler(&self, def: &ast::StmtFunctionDef) -> bool {
        is_error_handler(def) || self.error_handlers.contains(def.name.as_str())
    }

    /// The imported names that annotate parameters of the module's views
    /// (`session: SessionDep`): FastAPI dependency aliases, if another module
    /// defines them so.
    pub fn view_annotation_imports(&self, semantic: &SemanticModel) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for scope in &self.functions {
            if route_view_arguments(scope.def, scope.class).is_none() {
                continue;
            }
            for parameter in scope.def.parameters.iter() {
                if let Some(Expr::Name(name)) = parameter.annotation()
                    && semantic.is_imported(name.id.as_str())
                    && !found.iter().any(|known| known == name.id.as_str())
                {
                    found.push(name.id.to_string());
                }
            }
        }
        found
    }
}

/// The flow scopes of a module, recorded by the checker's walk (`text` is
/// the module's source; the file and its context live as long as the test).
#[cfg(test)]
pub(crate) fn scopes_of<'a>(
    text: &str,
    module: &'a crate::analysis::parse::ParsedModule,
) -> FlowScopes<'a> {
    use ruff_python_ast::visitor::Visitor as _;
    let source: &'static crate::analysis::source::SourceFile =
        Box::leak(Box::new(crate::analysis::source::SourceFile::from_text(
            std::path::Path::new("app.py"),
            text.to_owned(),
        )));
    let context: &'static crate::analysis::context::FileContext =
        Box::leak(Box::new(crate::analysis::context::FileContext::default()));
    let mut checker = crate::analysis::checker::Checker::new(
        source,
        module,
        crate::analysis::codes::RuleSet::all(),
        context,
    );
    checker.visit_body(module.suite());
    checker.into_flow_scopes()
}
