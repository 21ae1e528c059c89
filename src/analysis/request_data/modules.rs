//! Request data across functions and modules: which scopes are analysed
//! ([`walk_scopes`]), request data followed from routes into the module's
//! helpers, and what each module tells the others (exports, seeds, return
//! summaries, FastAPI dependency aliases) for the engine to settle.

use super::*;

/// A route whose request data reaches a function, for messages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RouteRef {
    /// The route function's name.
    pub name: String,
    /// The file that defines it (relative to the project root), when it is
    /// another module than the one reporting.
    pub file: Option<String>,
}

impl std::fmt::Display for RouteRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.file {
            Some(file) => write!(f, "`{}` in {file}", self.name),
            None => write!(f, "`{}`", self.name),
        }
    }
}

/// Request data that other modules of the project pass to one function of
/// this module (`find_user(request.args["name"])` in a view of routes.py).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seed {
    /// Positions of the arguments that carry request data.
    pub positional: BTreeSet<usize>,
    /// Keyword arguments that carry request data.
    pub keywords: BTreeSet<String>,
    /// The routes it comes from.
    pub via: BTreeSet<RouteRef>,
    /// How many calls deep the function is from the route (1: the view calls it).
    pub depth: usize,
}

/// What the engine learned from the other modules of the project for one
/// module's flow: what its imported functions return, and which of its own
/// functions other modules call with request data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrossModule {
    /// Functions imported from other project modules (local name) whose
    /// return value carries request data.
    pub imported: BTreeMap<String, Summary>,
    /// Functions of this module (by name) called with request data elsewhere.
    pub seeds: BTreeMap<String, Seed>,
}

impl CrossModule {
    /// Whether there is nothing to add to the module's own flow.
    pub fn is_empty(&self) -> bool {
        self.imported.is_empty() && self.seeds.is_empty()
    }
}

/// A call, with request data, to a name this module imports
/// (`find_user(request.args["name"])` after `from .queries import find_user`;
/// `queries.find_user(...)` after `from . import queries` gives
/// `queries.find_user`): the engine follows it into the module that defines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingCall {
    /// The callee as written: an imported name, or `module.function`.
    pub local: String,
    /// Positions of the arguments that carry request data.
    pub positional: Vec<usize>,
    /// Keyword arguments that carry request data.
    pub keywords: Vec<String>,
    /// The routes the data comes from (`file: None`: this module).
    pub via: Vec<RouteRef>,
    /// How many calls deep the callee is from the route.
    pub depth: usize,
    /// The caller uses what the call returns (it is not a statement of its own).
    pub result_used: bool,
}

/// What one module's flow gives the other modules of the project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowExports {
    /// Calls with request data to imported names.
    pub calls: Vec<OutgoingCall>,
    /// Top-level functions whose return value carries request data (by
    /// name): whatever the arguments (computed when the module may read the
    /// request object or imports functions returning request data), or
    /// given the request data other modules pass them (computed for the
    /// functions they seed).
    pub summaries: BTreeMap<String, Summary>,
    /// Every top-level plain function (not a route or error handler), with
    /// what request data given to it can reach.
    pub functions: BTreeMap<String, Reach>,
    /// Imported names (as in [`OutgoingCall::local`]) this module calls, with
    /// whether some call passes request data: the summaries it needs.
    pub called: BTreeMap<String, bool>,
    /// The FastAPI dependency aliases this module defines at module level
    /// (`SessionDep = Annotated[Session, Depends(get_session)]`).
    pub dependency_aliases: Vec<String>,
    /// The imported names that annotate parameters of its views: those
    /// that may be dependency aliases of other modules.
    pub dependency_candidates: Vec<String>,
    /// Those its flow took for dependency aliases of other modules (see
    /// [`DependencyAliases::imported_by`]).
    pub dependency_imports: Vec<String>,
    /// Whether the routes request data comes from through other modules
    /// ([`Seed::via`]) appear in what it reports or passes on.
    pub via_used: bool,
}

/// The FastAPI dependency aliases the modules of one project define
/// (`SessionDep = Annotated[Session, Depends(get_session)]` in db.py), for
/// the views of the modules that import them: a parameter annotated with one
/// is not request data. Built by the engine from the modules' facts.
#[derive(Debug, Default)]
pub struct DependencyAliases {
    /// Every alias name (a first filter).
    pub(super) names: HashSet<String>,
    /// `module.Name` for each absolute import of an alias (`app.db.SessionDep`).
    pub(super) absolute: HashSet<String>,
    /// Relative path of each module defining aliases -> their names (for
    /// relative imports).
    pub(super) by_path: HashMap<String, Vec<String>>,
}

impl DependencyAliases {
    /// Adds the `aliases` of the module at relative path `path`, which the
    /// absolute imports of `modules` (dotted) name; `relative`: relative
    /// imports name it too (not a package shadowed by a module of its name).
    pub fn add(&mut self, path: &str, aliases: &[String], modules: &[String], relative: bool) {
        for alias in aliases {
            self.names.insert(alias.clone());
            for module in modules {
                self.absolute.insert(format!("{module}.{alias}"));
            }
        }
        if relative {
            self.by_path
                .entry(path.to_owned())
                .or_default()
                .extend(aliases.iter().cloned());
        }
    }

    /// Whether no module defines an alias.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The local names among `candidates` that `imports` (those of the
    /// module at relative path `from`) bind to dependency aliases of other
    /// modules, in order.
    pub fn imported_by(
        &self,
        from: &str,
        imports: &[FromImport],
        candidates: &[String],
    ) -> Vec<String> {
        let mut found = Vec::new();
        if candidates.is_empty() {
            return found;
        }
        for import in imports {
            if !self.names.contains(&import.name) || !candidates.contains(&import.local) {
                continue;
            }
            let alias = if import.level == 0 {
                self.absolute
                    .contains(&format!("{}.{}", import.module, import.name))
            } else {
                import_candidates(from, import.level, &import.module).is_some_and(|candidates| {
                    candidates.iter().any(|path| {
                        self.by_path
                            .get(path)
                            .is_some_and(|names| names.contains(&import.name))
                    })
                })
            };
            if alias && !found.contains(&import.local) {
                found.push(import.local.clone());
            }
        }
        found
    }
}

/// What request data given to a top-level function can reach: a sink of a
/// flow rule in it or in the functions of its module it calls, or the
/// functions it calls that are imported from other modules (the engine seeds
/// it only when one of those can reach a sink in turn).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    /// A sink, in the function or in a function of its module it calls.
    pub sink: bool,
    /// The imported names (as in [`OutgoingCall::local`]) it and the
    /// functions of its module it calls call.
    pub imported: Vec<String>,
    /// It returns a value that is not a literal: given request data, it may
    /// return some (the engine seeds it to know, see [`FlowExports::summaries`]).
    pub returns: bool,
    /// Positions of its parameters annotated `bool`, `int` or `float`
    /// (`Optional`/`| None` of one too): request data passed there is not
    /// followed (a value of that type carries no injection).
    pub scalar_positions: Vec<usize>,
    /// Names of those parameters, for keyword arguments.
    pub scalar_keywords: Vec<String>,
    /// Whether it has parameters that are not such scalars.
    pub takes_text: bool,
    /// The parameters whose data can reach a sink (all of them when a
    /// function of its module it calls has a sink).
    pub sinking: Vec<String>,
    /// The parameters whose data can come back in its return value.
    pub returning: Vec<String>,
    /// The names of its positional parameters, in order.
    pub positional: Vec<String>,
}

/// What a function of the module returns, for its callers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// A return value carries request data whatever the arguments
    /// (`return request.args["next"]`).
    pub returns_request: bool,
    /// A return value carries request data when an argument does
    /// (`return f"SELECT ... {name}"`).
    pub returns_arguments: bool,
}

/// Which scopes [`walk_scopes`] hands to its callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scopes {
    /// Every scope.
    All,
    /// The scopes where a flow rule can report: those with a sink, those
    /// where exception text can occur, and (`routes`) route functions.
    Reporting {
        /// Route functions too (FH301 looks at every view).
        routes: bool,
    },
}

/// What a module's flow knows of the other modules of its project.
#[derive(Clone, Copy)]
pub struct Links<'l> {
    /// What the engine found across modules.
    pub cross: &'l CrossModule,
    /// Whether an imported name may come from a module of the project.
    pub project: &'l dyn Fn(&str) -> bool,
    /// Imported names that are FastAPI dependency aliases (see
    /// [`is_dependency_parameter`]).
    pub dependencies: &'l HashSet<&'l str>,
    /// The names other modules import (`None`: not known): what they may
    /// call. Whether such a function returns what it is given is decided on
    /// its flow; for the others it is only guessed (it returns a value).
    pub imported_names: Option<&'l crate::analysis::context::NameSet>,
    /// Some module imports this module itself by name (`from . import
    /// queries`): any of its functions may be called.
    pub module_imported: bool,
}

impl Links<'_> {
    /// No other module known.
    pub const NONE: Links<'static> = Links {
        cross: &CrossModule {
            imported: BTreeMap::new(),
            seeds: BTreeMap::new(),
        },
        project: &|_| false,
        dependencies: &NO_NAMES,
        imported_names: None,
        module_imported: false,
    };
}

pub(super) static NO_NAMES: HashSet<&'static str> = HashSet::with_hasher(rustc_hash::FxBuildHasher);

/// Calls scopes of a module (the module's own statements first, then its
/// functions, nested ones included) with their flow; `which` picks them.
pub fn walk_scopes<'a>(
    semantic: &SemanticModel<'a>,
    suite: &'a [Stmt],
    scopes: &FlowScopes<'a>,
    which: Scopes,
    links: Links<'_>,
    mut f: impl FnMut(&ScopeFlow<'_, 'a>),
) -> FlowExports {
    let Links {
        cross,
        project,
        dependencies,
        imported_names,
        ..
    } = links;
    let functions = &scopes.functions;
    let traceback = scopes.modules.contains("traceback");
    let route: Vec<bool> = functions
        .iter()
        .map(|s| route_view_arguments(s.def, s.class).is_some())
        .collect();
    let handler: Vec<bool> = functions
        .iter()
        .map(|s| scopes.is_error_handler(s.def))
        .collect();
    // A scope without a sink can still report exception text (FH501) when
    // exception text can occur in it (it catches exceptions, handles errors,
    // or the module imports `traceback`) and can reach a response (a response
    // builder, or the return value of a view or error handler).
    let reports: Vec<bool> = functions
        .iter()
        .enumerate()
        .map(|(i, s)| match which {
            Scopes::All => true,
            Scopes::Reporting { routes } => {
                s.marks.sink
                    || ((s.marks.caught || traceback || handler[i])
                        && (s.marks.response || route[i] || handler[i]))
                    || (routes && route[i])
            }
        })
        .collect();
    let module_reports =
        which == Scopes::All || scopes.module.sink || (traceback && scopes.module.response);
    // Functions that other modules call with request data start with it.
    let mut fed: HashMap<usize, (Vec<&'a str>, Vec<RouteRef>)> = HashMap::default();
    let mut seeded: Vec<(usize, usize)> = Vec::new();
    for (name, seed) in &cross.seeds {
        let Some(def) = semantic.function_def(name) else {
            continue;
        };
        let Some(index) = functions
            .iter()
            .position(|s| s.class.is_none() && std::ptr::eq(s.def, def))
        else {
            continue;
        };
        if route[index] || handler[index] {
            continue;
        }
        let tainted = seeded_parameters(def, seed);
        if tainted.is_empty() {
            continue;
        }
        fed.insert(index, (tainted, seed.via.iter().cloned().collect()));
        seeded.push((index, seed.depth));
    }
    let mut exports = FlowExports::default();
    let follows = route.contains(&true) || !seeded.is_empty();
    let top_level = top_level_functions(semantic, suite, scopes);
    // Whether a function returns request data whatever its arguments: only
    // when the module may read the request object, or imports a function
    // that returns some.
    let may_read_request = !top_level.is_empty()
        && (semantic.imports_any("request")
            || cross
                .imported
                .values()
                .any(|summary| summary.returns_request));
    // Functions other modules import: whether they return what they are
    // given is decided on their flow (with the module's).
    let imported_here = imported_names.is_some_and(|names| {
        top_level
            .iter()
            .any(|def| names.contains(def.name.as_str()))
    });
    if !module_reports
        && !reports.contains(&true)
        && !follows
        && !may_read_request
        && !imported_here
    {
        export_functions(
            &mut exports,
            semantic,
            functions,
            &top_level,
            None,
            &[],
            links,
        );
        return exports;
    }
    let module = ScopeFlow::module(semantic, suite, scopes, &cross.imported, dependencies);
    if module_reports {
        f(&module);
    }
    let build = |i: usize, fed: &HashMap<usize, (Vec<&'a str>, Vec<RouteRef>)>| {
        let s = &functions[i];
        match fed.get(&i) {
            Some((tainted, via)) => {
                ScopeFlow::function_with(semantic, s.def, s.class, &module, tainted, via.clone())
            }
            None => ScopeFlow::function(semantic, s.def, s.class, &module),
        }
    };
    let mut flows: Vec<Option<ScopeFlow<'_, 'a>>> = functions.iter().map(|_| None).collect();
    // Request data passed to a function of the module (`helper(name)` in a
    // view) is followed into it, up to MAX_CALL_DEPTH calls deep: its flow is
    // rebuilt with those parameters carrying request data.
    let mut frontier: Vec<usize> = (0..functions.len()).filter(|i| route[*i]).collect();
    for depth in 0..MAX_CALL_DEPTH {
        for &(index, from) in &seeded {
            if from == depth && !frontier.contains(&index) {
                frontier.push(index);
            }
        }
        let mut next = Vec::new();
        for caller in frontier {
            let flow = flows[caller].get_or_insert_with(|| build(caller, &fed));
            let ScopeKind::Function(caller_def) = flow.kind else {
                continue;
            };
            let origin: Vec<RouteRef> = if flow.route {
                vec![RouteRef {
                    name: caller_def.name.to_string(),
                    file: None,
                }]
            } else {
                flow.via.clone()
            };
            let mut calls: Vec<(usize, Vec<&'a str>)> = Vec::new();
            flow.walk(|node| {
                let Expr::Call(call) = node.expr else { return };
                // A function imported from another module: the engine follows it.
                if let Some(local) = flow.imported_callee(&call.func, project) {
                    let (positional, keywords) = request_arguments(flow, call);
                    let with_request = !positional.is_empty() || !keywords.is_empty();
                    *exports.called.entry(local.clone()).or_default() |= with_request;
                    if with_request {
                        // `helper(name)` as a statement: what it returns is dropped.
                        let result_used = node.parent().is_some()
                            || !matches!(node.statement(), Stmt::Expr(s) if std::ptr::eq(&*s.value, node.expr));
                        exports.calls.push(OutgoingCall {
                            local,
                            positional,
                            keywords: keywords.into_iter().map(str::to_owned).collect(),
                            via: origin.clone(),
                            depth: depth + 1,
                            result_used,
                        });
                    }
                    return;
                }
                let Expr::Name(func) = &*call.func else {
                    return;
                };
                if semantic.is_imported(func.id.as_str())
                    || flow.bindings.contains_key(func.id.as_str())
                {
                    return;
                }
                let Some(callee) = functions
                    .iter()
                    .position(|s| s.class.is_none() && s.def.name.as_str() == func.id.as_str())
                else {
                    return;
                };
                let def = functions[callee].def;
                if route[callee] || handler[callee] {
                    return;
                }
                let positional: Vec<&'a str> = def
                    .parameters
                    .posonlyargs
                    .iter()
                    .chain(&def.parameters.args)
                    .map(|p| p.parameter.name.as_str())
                    .collect();
                let mut tainted = Vec::new();
                for (i, arg) in call.arguments.args.iter().enumerate() {
                    if matches!(arg, Expr::Starred(_)) {
                        break;
                    }
                    if let Some(name) = positional.get(i)
                        && flow.is_request_data(arg)
                    {
                        tainted.push(*name);
                    }
                }
                for keyword in &call.arguments.keywords {
                    if let Some(arg) = &keyword.arg
                        && let Some(name) = def
                            .parameters
                            .iter()
                            .map(|p| p.name().as_str())
                            .find(|n| *n == arg.as_str())
                        && flow.is_request_data(&keyword.value)
                    {
                        tainted.push(name);
                    }
                }
                if !tainted.is_empty() {
                    calls.push((callee, tainted));
                }
            });
            for (callee, tainted) in calls {
                let entry = fed.entry(callee).or_default();
                let before = (entry.0.len(), entry.1.len());
                for name in tainted {
                    if !entry.0.contains(&name) {
                        entry.0.push(name);
                    }
                }
                for route in &origin {
                    if !entry.1.contains(route) {
                        entry.1.push(route.clone());
                    }
                }
                if (entry.0.len(), entry.1.len()) != before && !next.contains(&callee) {
                    next.push(callee);
                }
            }
        }
        for &callee in &next {
            let s = &functions[callee];
            let (tainted, via) = &fed[&callee];
            flows[callee] = Some(ScopeFlow::function_with(
                semantic,
                s.def,
                s.class,
                &module,
                tainted,
                via.clone(),
            ));
        }
        if next.is_empty() && !seeded.iter().any(|(_, from)| *from > depth) {
            break;
        }
        frontier = next;
    }
    // A function fed request data but without a sink reports nothing (and it
    // is never a route: views are not followed into).
    for (i, flow) in flows.iter_mut().enumerate() {
        if reports[i] {
            f(flow.get_or_insert_with(|| build(i, &fed)));
        }
    }
    export_functions(
        &mut exports,
        semantic,
        functions,
        &top_level,
        Some((&module, may_read_request)),
        &flows,
        links,
    );
    exports
}

/// What other modules may call: the plain top-level functions of the module,
/// what request data given to them can reach, and what they return (with
/// `module`, the module's flow and whether the module may read request data,
/// when they may return request data whatever their arguments; with `flows`, those of the functions seeded by `cross`).
pub(super) fn export_functions<'a>(
    exports: &mut FlowExports,
    semantic: &SemanticModel<'a>,
    functions: &[FunctionScope<'a>],
    top_level: &[&'a ast::StmtFunctionDef],
    module: Option<(&ScopeFlow<'_, 'a>, bool)>,
    flows: &[Option<ScopeFlow<'_, 'a>>],
    links: Links<'_>,
) {
    let Links {
        cross,
        project,
        imported_names,
        module_imported,
        ..
    } = links;
    if top_level.is_empty() {
        return;
    }
    // Only what other modules can call by name is exported.
    let callable =
        |name: &str| module_imported || imported_names.is_none_or(|names| names.contains(name));
    let index_of: HashMap<*const ast::StmtFunctionDef, usize> = functions
        .iter()
        .enumerate()
        .filter(|(_, s)| s.class.is_none())
        .map(|(i, s)| (std::ptr::from_ref(s.def), i))
        .collect();
    for def in top_level {
        let name = def.name.as_str();
        if !callable(name) && !cross.seeds.contains_key(name) {
            continue;
        }
        let Some(&start) = index_of.get(&std::ptr::from_ref(*def)) else {
            continue;
        };
        let returns = &functions[start].returns;
        // A `bool`, `int` or `float` it returns carries no injection.
        let returns_value = !returns.iter().all(|value| value.is_literal_expr())
            && !def.returns.as_deref().is_some_and(is_scalar_annotation);
        let mut reach = reach(semantic, functions, flows, &index_of, start, project);
        // Whether what its parameters carry can come back: told by its flow
        // when it has one or other modules import it, else guessed.
        if returns_value {
            let own = flows.get(start).and_then(Option::as_ref);
            let imported = imported_names.is_some_and(|names| names.contains(name));
            let built;
            let flow = match (own, module.map(|(module, _)| module)) {
                (Some(flow), _) if imported => Some(flow),
                (None, Some(module)) if imported => {
                    built = ScopeFlow::function(semantic, def, None, module);
                    Some(&built)
                }
                _ => None,
            };
            let none = flow.is_some_and(|flow| {
                !returns
                    .iter()
                    .any(|v| flow.is_parameter_data(v, ANY_PARAMETER))
            });
            if !none {
                reach
                    .returning
                    .extend(parameters_where(def, flow, |flow, index| {
                        returns.iter().any(|v| flow.is_parameter_data(v, index))
                    }));
            }
        }
        reach.returns = !reach.returning.is_empty();
        reach.positional = def
            .parameters
            .posonlyargs
            .iter()
            .chain(&def.parameters.args)
            .map(|p| p.parameter.name.to_string())
            .collect();
        for (position, parameter) in def
            .parameters
            .posonlyargs
            .iter()
            .chain(&def.parameters.args)
            .enumerate()
        {
            if parameter
                .parameter
                .annotation
                .as_deref()
                .is_some_and(is_scalar_annotation)
            {
                reach.scalar_positions.push(position);
            }
        }
        for parameter in def.parameters.iter() {
            if parameter.annotation().is_some_and(is_scalar_annotation) {
                reach.scalar_keywords.push(parameter.name().to_string());
            } else if !matches!(parameter.name().as_str(), "self" | "cls") {
                reach.takes_text = true;
            }
        }
        // Other modules seed it only when request data given to it can go
        // somewhere: a sink, another module, or back to them.
        if reach.takes_text && (reach.returns || reach.sink || !reach.imported.is_empty()) {
            exports.functions.insert(name.to_owned(), reach);
        }
        if !returns_value {
            continue;
        }
        let returns_request = module.is_some_and(|(module, may_read_request)| {
            may_read_request
                && module
                    .helper_summary(name)
                    .is_some_and(|summary| summary.returns_request)
        });
        // Seeded by other modules: whether it returns what they pass it.
        let returns_arguments = cross.seeds.contains_key(name)
            && flows
                .get(start)
                .and_then(Option::as_ref)
                .is_some_and(|flow| returns.iter().any(|v| flow.is_request_data(v)));
        if returns_request || returns_arguments {
            exports.summaries.insert(
                name.to_owned(),
                Summary {
                    returns_request,
                    returns_arguments,
                },
            );
        }
    }
}

/// The names of `def`'s parameters for which `holds(flow, position)` is
/// true, in order; all of them when there is no flow to ask (a guess).
pub(super) fn parameters_where<'a>(
    def: &ast::StmtFunctionDef,
    flow: Option<&ScopeFlow<'_, 'a>>,
    holds: impl Fn(&ScopeFlow<'_, 'a>, usize) -> bool,
) -> Vec<String> {
    def.parameters
        .iter()
        .enumerate()
        .filter(|(index, _)| flow.is_none_or(|flow| holds(flow, *index)))
        .map(|(_, parameter)| parameter.name().to_string())
        .collect()
}

/// What request data given to function `start` can reach (see [`Reach`]):
/// its calls and those of the functions of its module it calls, transitively.
pub(super) fn reach<'a>(
    semantic: &SemanticModel<'a>,
    functions: &[FunctionScope<'a>],
    flows: &[Option<ScopeFlow<'_, 'a>>],
    index_of: &HashMap<*const ast::StmtFunctionDef, usize>,
    start: usize,
    project: impl Fn(&str) -> bool,
) -> Reach {
    let mut reach = Reach::default();
    let mut seen = vec![start];
    let mut todo = vec![start];
    while let Some(i) = todo.pop() {
        let scope = &functions[i];
        // A sink counts when what the function's parameters carry can reach
        // one of its arguments (or the receiver of a path method).
        if scope.marks.sink {
            let flow = flows
                .get(i)
                .and_then(Option::as_ref)
                .filter(|_| scope.precise);
            if i == start
                && flow.is_some_and(|flow| {
                    !scope
                        .sinks
                        .iter()
                        .any(|call| flow.may_reach_sink(call, ANY_PARAMETER))
                })
            {
                // No parameter reaches one.
            } else if i == start {
                // Which of its parameters can reach a sink.
                reach
                    .sinking
                    .extend(parameters_where(scope.def, flow, |flow, index| {
                        scope
                            .sinks
                            .iter()
                            .any(|call| flow.may_reach_sink(call, index))
                    }));
                reach.sink |= !reach.sinking.is_empty();
            } else if flow.is_none_or(|flow| {
                scope
                    .sinks
                    .iter()
                    .any(|call| flow.may_reach_sink(call, ANY_PARAMETER))
            }) {
                // A sink of a function it calls: any of its parameters may
                // be passed on there.
                reach.sink = true;
                reach.sinking = functions[start]
                    .def
                    .parameters
                    .iter()
                    .map(|p| p.name().to_string())
                    .collect();
            }
        }
        for &(root, attr) in &scope.calls {
            if semantic.is_imported(root) {
                if project(root) {
                    let local = match attr {
                        Some(attr) => format!("{root}.{attr}"),
                        None => root.to_owned(),
                    };
                    if !reach.imported.contains(&local) {
                        reach.imported.push(local);
                    }
                }
                continue;
            }
            if attr.is_some() {
                continue;
            }
            if let Some(def) = semantic.function_def(root)
                && let Some(&callee) = index_of.get(&std::ptr::from_ref(def))
                && !seen.contains(&callee)
            {
                seen.push(callee);
                todo.push(callee);
            }
        }
    }
    reach.imported.sort();
    reach
}

/// The plain top-level functions of a module (not routes or error handlers,
/// and not redefined later): what other modules may call.
pub(super) fn top_level_functions<'a>(
    semantic: &SemanticModel<'a>,
    suite: &'a [Stmt],
    scopes: &FlowScopes<'a>,
) -> Vec<&'a ast::StmtFunctionDef> {
    suite
        .iter()
        .filter_map(|stmt| match stmt {
            Stmt::FunctionDef(def) => Some(def),
            _ => None,
        })
        .filter(|def| {
            route_view_arguments(def, None).is_none()
                && !scopes.is_error_handler(def)
                && semantic
                    .function_def(def.name.as_str())
                    .is_some_and(|known| std::ptr::eq(known, *def))
        })
        .collect()
}

/// The positions and keywords of a call's arguments that carry request data
/// (positions stop at the first `*args`).
pub(super) fn request_arguments<'c>(
    flow: &ScopeFlow<'_, '_>,
    call: &'c ast::ExprCall,
) -> (Vec<usize>, Vec<&'c str>) {
    let mut positional = Vec::new();
    for (i, arg) in call.arguments.args.iter().enumerate() {
        if matches!(arg, Expr::Starred(_)) {
            break;
        }
        if flow.is_request_data(arg) {
            positional.push(i);
        }
    }
    let keywords = call
        .arguments
        .keywords
        .iter()
        .filter_map(|k| {
            let arg = k.arg.as_ref()?;
            flow.is_request_data(&k.value).then_some(arg.as_str())
        })
        .collect();
    (positional, keywords)
}

/// The parameters of `def` that a seed's arguments reach.
pub(super) fn seeded_parameters<'a>(def: &'a ast::StmtFunctionDef, seed: &Seed) -> Vec<&'a str> {
    let mut tainted: Vec<&'a str> = def
        .parameters
        .posonlyargs
        .iter()
        .chain(&def.parameters.args)
        .enumerate()
        .filter(|(i, _)| seed.positional.contains(i))
        .map(|(_, p)| p.parameter.name.as_str())
        .collect();
    for parameter in def.parameters.iter() {
        let name = parameter.name().as_str();
        if seed.keywords.contains(name) && !tainted.contains(&name) {
            tainted.push(name);
        }
    }
    tainted
}

/// `bool`, `int`, `float`, or `Optional[...]` / `... | None` of one.
pub(super) fn is_scalar_annotation(annotation: &Expr) -> bool {
    match annotation {
        Expr::Name(name) => matches!(name.id.as_str(), "bool" | "int" | "float"),
        Expr::BinOp(ast::ExprBinOp {
            left,
            op: Operator::BitOr,
            right,
            ..
        }) => {
            (is_scalar_annotation(left) && right.is_none_literal_expr())
                || (left.is_none_literal_expr() && is_scalar_annotation(right))
        }
        Expr::Subscript(subscript) => {
            matches!(&*subscript.value, Expr::Name(n) if n.id == "Optional")
                && is_scalar_annotation(&subscript.slice)
        }
        _ => false,
    }
}
