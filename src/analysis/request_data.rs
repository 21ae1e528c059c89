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

/// The bindings of one scope and the queries the injection rules ask.
pub struct ScopeFlow<'s, 'a> {
    semantic: &'s SemanticModel<'a>,
    kind: ScopeKind<'a>,
    body: &'a [Stmt],
    bindings: BindingMap<'a>,
    parent: Option<&'s ScopeFlow<'s, 'a>>,
    /// What the checker's walk recorded about the module's scopes.
    scopes: &'s FlowScopes<'a>,
    /// Top-level package names imported anywhere in the module (module scope only).
    modules: HashSet<String>,
    /// Functions registered with `x.register_error_handler(code, f)` anywhere
    /// in the module (module scope only).
    registered_handlers: HashSet<String>,
    route: bool,
    error_handler: bool,
    exceptions: bool,
    memo: RefCell<HashMap<(&'a str, Query), bool>>,
    active: RefCell<HashSet<(&'a str, Query)>>,
    /// Routes whose request data reaches this function through its
    /// parameters (`helper(name)` called from a view), for messages.
    via: Vec<RouteRef>,
    /// What the module's functions return (module scope only), computed on
    /// demand: see [`ScopeFlow::helper_summary`].
    summaries: RefCell<HashMap<String, Option<Summary>>>,
    /// What the functions this module imports from other modules of the
    /// project return (module scope only): local name -> summary.
    imported: &'s BTreeMap<String, Summary>,
    /// Names this module imports from other modules of the project that are
    /// FastAPI dependency aliases (module scope only; see
    /// [`is_dependency_parameter`]).
    dependencies: &'s HashSet<&'s str>,
}

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
    names: HashSet<String>,
    /// `module.Name` for each absolute import of an alias (`app.db.SessionDep`).
    absolute: HashSet<String>,
    /// Relative path of each module defining aliases -> their names (for
    /// relative imports).
    by_path: HashMap<String, Vec<String>>,
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

/// Functions (Django's, and the names projects give their own helpers) that
/// tell whether a URL stays on this site.
pub(crate) const SAME_SITE_CHECKS: &[&str] = &[
    "url_has_allowed_host_and_scheme",
    "is_safe_url",
    "is_safe_redirect_url",
    "is_safe_redirect",
    "is_same_site",
    "is_local_url",
];

/// `name` of `is_safe_url(name)` (see [`SAME_SITE_CHECKS`]).
fn same_site_check_of(expr: &Expr) -> Option<String> {
    let Expr::Call(call) = expr else { return None };
    let callee = match &*call.func {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return None,
    };
    let Some(Expr::Name(name)) = call.arguments.args.first() else {
        return None;
    };
    SAME_SITE_CHECKS
        .contains(&callee)
        .then(|| name.id.to_string())
}

/// URL parsers whose `.netloc` tells whether a URL names another host.
const URL_PARSERS: &[&str] = &[
    "urllib.parse.urlsplit",
    "urllib.parse.urlparse",
    "werkzeug.urls.url_parse",
    "werkzeug.urls.urlsplit",
];

/// How many functions deep request data is followed through parameters.
pub(crate) const MAX_CALL_DEPTH: usize = 3;

/// Methods on a request-data value whose result is no longer request data.
const NON_PROPAGATING_METHODS: &[&str] = &[
    "startswith",
    "endswith",
    "isdigit",
    "isalnum",
    "isalpha",
    "isnumeric",
    "isdecimal",
    "isidentifier",
    "count",
    "find",
    "index",
    "rfind",
    "keys",
    "__len__",
    "is_json",
];

/// Functions whose result never carries request data (conversions and sanitizers).
const SANITIZERS: &[&str] = &[
    "builtins.int",
    "builtins.float",
    "builtins.len",
    "werkzeug.utils.secure_filename",
    "werkzeug.secure_filename",
    "werkzeug.utils.safe_join",
    "werkzeug.security.safe_join",
    "flask.safe_join",
    "flask.helpers.safe_join",
    "os.path.basename",
    "posixpath.basename",
    "flask.url_for",
    "flask.escape",
    "markupsafe.escape",
    "html.escape",
    "shlex.quote",
    "pipes.quote",
    "uuid.UUID",
];

/// Functions whose result carries request data when an argument does.
const PROPAGATORS: &[&str] = &[
    "builtins.str",
    "builtins.repr",
    "builtins.format",
    "builtins.bytes",
    "builtins.dict",
    "builtins.list",
    "os.path.join",
    "os.path.normpath",
    "os.path.abspath",
    "os.path.realpath",
    "os.path.expanduser",
    "os.path.expandvars",
    "os.fspath",
    "posixpath.join",
    "ntpath.join",
    "pathlib.Path",
    "pathlib.PurePath",
    "pathlib.PosixPath",
    "urllib.parse.urljoin",
    "urllib.parse.unquote",
    "urllib.parse.unquote_plus",
    "urllib.parse.urlunparse",
    "urllib.parse.urlunsplit",
    "base64.b64decode",
    "base64.urlsafe_b64decode",
    "base64.b64encode",
    "json.loads",
    "codecs.decode",
];

/// `traceback` functions that produce a stack trace as text.
const TRACEBACK_TEXT: &[&str] = &[
    "traceback.format_exc",
    "traceback.format_exception",
    "traceback.format_exception_only",
    "traceback.format_tb",
    "traceback.format_stack",
];

const MAX_DEPTH: usize = 48;

impl<'s, 'a> ScopeFlow<'s, 'a> {
    /// The flow of the module's own statements.
    pub fn module(
        semantic: &'s SemanticModel<'a>,
        suite: &'a [Stmt],
        scopes: &'s FlowScopes<'a>,
        imported: &'s BTreeMap<String, Summary>,
        dependencies: &'s HashSet<&'s str>,
    ) -> Self {
        Self {
            semantic,
            kind: ScopeKind::Module,
            body: suite,
            bindings: binding_map(&scopes.module_bindings),
            parent: None,
            scopes,
            exceptions: scopes.modules.contains("traceback"),
            modules: scopes.modules.clone(),
            registered_handlers: scopes.error_handlers.clone(),
            route: false,
            error_handler: false,
            memo: RefCell::default(),
            active: RefCell::default(),
            via: Vec::new(),
            summaries: RefCell::default(),
            imported,
            dependencies,
        }
    }

    /// The flow of one function; `class` is the class whose body defines it
    /// (for `MethodView` methods), `module` the module's flow (constants).
    pub fn function(
        semantic: &'s SemanticModel<'a>,
        function: &'a ast::StmtFunctionDef,
        class: Option<&'a ast::StmtClassDef>,
        module: &'s ScopeFlow<'s, 'a>,
    ) -> Self {
        Self::function_with(semantic, function, class, module, &[], Vec::new())
    }

    /// [`function`](Self::function), with the parameters `tainted` carrying
    /// request data from the routes `via` (the function is called with it).
    fn function_with(
        semantic: &'s SemanticModel<'a>,
        function: &'a ast::StmtFunctionDef,
        class: Option<&'a ast::StmtClassDef>,
        module: &'s ScopeFlow<'s, 'a>,
        tainted: &[&str],
        via: Vec<RouteRef>,
    ) -> Self {
        let mut bindings = module.scopes.function_bindings(function);
        let view_args = route_view_arguments(function, class);
        let error_handler = is_error_handler(function)
            || module.registered_handlers.contains(function.name.as_str());
        for (index, parameter) in function.parameters.iter().enumerate() {
            let name = parameter.name().as_str();
            let binding = if error_handler && index == 0 {
                Binding::Exception
            } else {
                Binding::Parameter(
                    view_args.as_ref().is_some_and(|args| {
                        !matches!(name, "self" | "cls")
                            && !args.safe.iter().any(|safe| safe == name)
                            && !is_dependency_parameter(semantic, parameter, |local| {
                                module.dependencies.contains(local)
                            })
                    }) || tainted.contains(&name),
                )
            };
            bindings.entry(name).or_default().push(binding);
        }
        let exceptions = module.modules.contains("traceback")
            || bindings
                .values()
                .any(|b| b.iter().any(|b| matches!(b, Binding::Exception)));
        Self {
            semantic,
            kind: ScopeKind::Function(function),
            body: &function.body,
            bindings,
            parent: Some(module),
            scopes: module.scopes,
            modules: HashSet::default(),
            registered_handlers: HashSet::default(),
            route: view_args.is_some(),
            error_handler,
            exceptions,
            memo: RefCell::default(),
            active: RefCell::default(),
            via,
            summaries: RefCell::default(),
            imported: module.imported,
            dependencies: module.dependencies,
        }
    }

    /// Routes whose request data reaches this function through its parameters.
    pub fn via(&self) -> &[RouteRef] {
        &self.via
    }

    /// What the module function `name` returns (`None` when it is not a plain
    /// function of this module, or while it is being summarised: recursion).
    /// Computed once per module, on first use.
    fn helper_summary(&self, name: &str) -> Option<Summary> {
        let module = self.parent.unwrap_or(self);
        if let Some(known) = module.summaries.borrow().get(name) {
            return *known;
        }
        // Mark as in progress: a recursive call sees `None`.
        module.summaries.borrow_mut().insert(name.to_owned(), None);
        let summary = self.semantic.function_def(name).and_then(|def| {
            if route_view_arguments(def, None).is_some() || is_error_handler(def) {
                return None;
            }
            let values = module.scopes.function_returns(def);
            let returns = |flow: &ScopeFlow| values.iter().any(|v| flow.is_request_data(v));
            let plain = ScopeFlow::function_with(self.semantic, def, None, module, &[], Vec::new());
            let parameters: Vec<&str> = def
                .parameters
                .iter()
                .map(|p| p.name().as_str())
                .filter(|n| !matches!(*n, "self" | "cls"))
                .collect();
            let fed =
                ScopeFlow::function_with(self.semantic, def, None, module, &parameters, Vec::new());
            Some(Summary {
                returns_request: returns(&plain),
                returns_arguments: returns(&fed),
            })
        });
        module
            .summaries
            .borrow_mut()
            .insert(name.to_owned(), summary);
        summary
    }

    /// The callee of a call as an imported name (`find_user`) or an
    /// attribute of an imported module (`queries.find_user`), unless this
    /// scope gives the name another value.
    pub fn imported_callee(&self, func: &Expr, project: impl Fn(&str) -> bool) -> Option<String> {
        let (root, attr) = match func {
            Expr::Name(name) => (name.id.as_str(), None),
            Expr::Attribute(attr) => match &*attr.value {
                Expr::Name(module) => (module.id.as_str(), Some(attr.attr.as_str())),
                _ => return None,
            },
            _ => return None,
        };
        if !project(root) || !self.semantic.is_imported(root) {
            return None;
        }
        let rebound = self
            .lookup(root)
            .is_some_and(|(_, bindings)| bindings.iter().any(|b| !matches!(b, Binding::Unknown)));
        if rebound {
            return None;
        }
        Some(match attr {
            Some(attr) => format!("{root}.{attr}"),
            None => root.to_owned(),
        })
    }

    /// The semantic model (imports).
    pub fn semantic(&self) -> &'s SemanticModel<'a> {
        self.semantic
    }

    /// Whether the module imports the top-level package `name` anywhere.
    pub fn module_imports(&self, name: &str) -> bool {
        self.parent.unwrap_or(self).modules.contains(name)
    }

    /// The scope's kind.
    pub fn kind(&self) -> ScopeKind<'a> {
        self.kind
    }

    /// Whether the scope is a route function (a view).
    pub fn is_route(&self) -> bool {
        self.route
    }

    /// Whether the scope is an error handler (`@app.errorhandler(...)`).
    pub fn is_error_handler(&self) -> bool {
        self.error_handler
    }

    /// Whether `expr` is the Flask `request` object.
    pub fn is_request_object(&self, expr: &Expr) -> bool {
        if self.semantic.resolves_to(expr, REQUEST_OBJECT) {
            return true;
        }
        matches!(expr, Expr::Name(n) if n.id == "request"
            && !self.semantic.is_imported("request")
            && !self.bindings.contains_key("request"))
    }

    /// Whether `expr` itself reads the request: `request.args`, `request.get_json()`...
    pub fn request_read(&self, expr: &Expr) -> Option<RequestRead> {
        // The attribute name first: resolving `request` allocates.
        let (attr, read) = match expr {
            Expr::Attribute(attr) => match attr.attr.as_str() {
                "json" | "form" | "args" | "values" => (attr, RequestRead::Body),
                "data" | "files" | "headers" | "cookies" => (attr, RequestRead::Other),
                _ => return None,
            },
            Expr::Call(call) => match &*call.func {
                Expr::Attribute(attr) => match attr.attr.as_str() {
                    "get_json" => (attr, RequestRead::Body),
                    "get_data" => (attr, RequestRead::Other),
                    _ => return None,
                },
                _ => return None,
            },
            _ => return None,
        };
        self.is_request_object(&attr.value).then_some(read)
    }

    /// Whether `expr` carries request data.
    pub fn is_request_data(&self, expr: &Expr) -> bool {
        self.request_data(expr, 0)
    }

    /// Whether request data or what the function's parameters carry can
    /// reach the sink `call`: an argument, or the receiver of a path method.
    fn may_reach_sink(&self, call: &ast::ExprCall, parameter: usize) -> bool {
        call.arguments
            .args
            .iter()
            .any(|a| self.is_parameter_data(a, parameter))
            || call
                .arguments
                .keywords
                .iter()
                .any(|k| self.is_parameter_data(&k.value, parameter))
            || matches!(&*call.func, Expr::Attribute(attr)
                if super::rules::path_traversal::receiver_is_path(attr.attr.as_str())
                    && self.is_parameter_data(&attr.value, parameter))
    }

    /// Whether `expr` carries request data or what a parameter of the
    /// function (not `self` or `cls`) carries, through the same operations:
    /// what request data given to the function could reach.
    pub fn is_parameter_data(&self, expr: &Expr, parameter: usize) -> bool {
        self.data(expr, 0, Query::Parameter(parameter))
    }

    fn request_data(&self, expr: &Expr, depth: usize) -> bool {
        self.data(expr, depth, Query::Request)
    }

    /// Whether `expr` carries request data (`Query::Request`), or with
    /// `Query::Parameter` either that or what the function's parameters
    /// carry (see [`ScopeFlow::is_parameter_data`]).
    fn data(&self, expr: &Expr, depth: usize, q: Query) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        if self.request_read(expr).is_some() {
            return true;
        }
        let d = depth + 1;
        match expr {
            Expr::Attribute(attr) => self.data(&attr.value, d, q),
            Expr::Subscript(sub) => self.data(&sub.value, d, q),
            Expr::Call(call) => self.call_data(call, d, q),
            Expr::FString(f) => f.value.elements().any(|element| {
                element
                    .as_interpolation()
                    .is_some_and(|i| self.data(&i.expression, d, q))
            }),
            Expr::BinOp(op) => self.data(&op.left, d, q) || self.data(&op.right, d, q),
            Expr::BoolOp(op) => op.values.iter().any(|v| self.data(v, d, q)),
            Expr::If(e) => self.data(&e.body, d, q) || self.data(&e.orelse, d, q),
            Expr::List(l) => l.elts.iter().any(|v| self.data(v, d, q)),
            Expr::Tuple(t) => t.elts.iter().any(|v| self.data(v, d, q)),
            Expr::Set(s) => s.elts.iter().any(|v| self.data(v, d, q)),
            Expr::Dict(dict) => dict.items.iter().any(|i| self.data(&i.value, d, q)),
            Expr::Named(n) => self.data(&n.value, d, q),
            Expr::Starred(s) => self.data(&s.value, d, q),
            Expr::Await(a) => self.data(&a.value, d, q),
            Expr::ListComp(c) => self.data(&c.elt, d, q),
            Expr::SetComp(c) => self.data(&c.elt, d, q),
            Expr::Generator(c) => self.data(&c.elt, d, q),
            Expr::Name(name) => self.name_query(name.id.as_str(), q, d),
            _ => false,
        }
    }

    fn call_data(&self, call: &ast::ExprCall, depth: usize, q: Query) -> bool {
        let any_argument = || {
            call.arguments.args.iter().any(|a| self.data(a, depth, q))
                || call
                    .arguments
                    .keywords
                    .iter()
                    .any(|k| self.data(&k.value, depth, q))
        };
        if let Some(qualified) = self.semantic.resolve_qualified_name(&call.func) {
            let dotted = qualified.dotted();
            if SANITIZERS.contains(&dotted.as_str()) {
                return false;
            }
            if PROPAGATORS.contains(&dotted.as_str()) {
                return any_argument();
            }
        }
        // A function of this module: what it returns (`helper(name)`).
        if let Expr::Name(func) = &*call.func
            && !self.semantic.is_imported(func.id.as_str())
            && !self.bindings.contains_key(func.id.as_str())
        {
            return self
                .helper_summary(func.id.as_str())
                .is_some_and(|summary| {
                    summary.returns_request || (summary.returns_arguments && any_argument())
                });
        }
        // A function imported from another module of the project.
        let imported = self.parent.unwrap_or(self).imported;
        if !imported.is_empty()
            && let Some(local) = self.imported_callee(&call.func, |_| true)
            && let Some(summary) = imported.get(local.as_str())
        {
            return summary.returns_request || (summary.returns_arguments && any_argument());
        }
        let Expr::Attribute(attr) = &*call.func else {
            return false;
        };
        let method = attr.attr.as_str();
        if NON_PROPAGATING_METHODS.contains(&method) {
            return false;
        }
        // `request.args.get("n", type=int)` converts the value.
        if method == "get"
            && call.arguments.find_keyword("type").is_some_and(|k| {
                self.semantic
                    .resolves_to(&k.value, &["builtins.int", "builtins.float"])
                    || matches!(&k.value, Expr::Name(n) if n.id == "bool")
            })
        {
            return false;
        }
        if self.data(&attr.value, depth, q) {
            return true;
        }
        matches!(method, "format" | "format_map" | "join" | "replace") && any_argument()
    }

    /// Whether `expr` is a provable constant: literals, and names, f-strings and
    /// operations built only from constants.
    pub fn is_constant(&self, expr: &Expr) -> bool {
        self.constant(expr, 0)
    }

    fn constant(&self, expr: &Expr, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let d = depth + 1;
        match expr {
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => true,
            Expr::FString(f) => f.value.elements().all(|element| {
                element
                    .as_interpolation()
                    .is_none_or(|i| self.constant(&i.expression, d))
            }),
            Expr::BinOp(op) => self.constant(&op.left, d) && self.constant(&op.right, d),
            Expr::UnaryOp(op) => self.constant(&op.operand, d),
            Expr::List(l) => l.elts.iter().all(|v| self.constant(v, d)),
            Expr::Tuple(t) => t.elts.iter().all(|v| self.constant(v, d)),
            Expr::If(e) => self.constant(&e.body, d) && self.constant(&e.orelse, d),
            Expr::Call(call) => match &*call.func {
                Expr::Attribute(attr) if matches!(attr.attr.as_str(), "format" | "join") => {
                    self.constant(&attr.value, d)
                        && call.arguments.args.iter().all(|a| self.constant(a, d))
                        && call
                            .arguments
                            .keywords
                            .iter()
                            .all(|k| self.constant(&k.value, d))
                }
                _ => false,
            },
            Expr::Name(name) => self.name_query(name.id.as_str(), Query::Constant, d),
            _ => false,
        }
    }

    /// Whether `expr` is a string built by formatting (f-string, `%`, `.format()`,
    /// `+`) with at least one part that is not a constant.
    pub fn is_dynamic_string(&self, expr: &Expr) -> bool {
        self.dynamic(expr, 0)
    }

    fn dynamic(&self, expr: &Expr, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let d = depth + 1;
        match expr {
            Expr::FString(f) => f.value.elements().any(|element| {
                element
                    .as_interpolation()
                    .is_some_and(|i| !self.constant(&i.expression, d))
            }),
            Expr::BinOp(op) => match op.op {
                Operator::Add => {
                    self.dynamic(&op.left, d)
                        || self.dynamic(&op.right, d)
                        || ((self.stringish(&op.left, d) || self.stringish(&op.right, d))
                            && !(self.constant(&op.left, d) && self.constant(&op.right, d)))
                }
                Operator::Mod => {
                    self.dynamic(&op.left, d)
                        || (self.stringish(&op.left, d) && !self.constant(&op.right, d))
                }
                _ => false,
            },
            Expr::Call(call) => match &*call.func {
                Expr::Attribute(attr) if attr.attr.as_str() == "format" => {
                    self.dynamic(&attr.value, d)
                        || (self.stringish(&attr.value, d) && !self.constant(expr, d))
                }
                _ => false,
            },
            Expr::If(e) => self.dynamic(&e.body, d) || self.dynamic(&e.orelse, d),
            Expr::BoolOp(op) => op.values.iter().any(|v| self.dynamic(v, d)),
            Expr::Named(n) => self.dynamic(&n.value, d),
            Expr::Name(name) => self.name_query(name.id.as_str(), Query::Dynamic, d),
            _ => false,
        }
    }

    fn stringish(&self, expr: &Expr, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let d = depth + 1;
        match expr {
            Expr::StringLiteral(_) | Expr::FString(_) => true,
            Expr::BinOp(op) if matches!(op.op, Operator::Add | Operator::Mod) => {
                self.stringish(&op.left, d)
                    || (op.op == Operator::Add && self.stringish(&op.right, d))
            }
            Expr::Call(call) => matches!(&*call.func,
                Expr::Attribute(attr) if attr.attr.as_str() == "format" && self.stringish(&attr.value, d)),
            Expr::Name(name) => self.name_query(name.id.as_str(), Query::Stringish, d),
            _ => false,
        }
    }

    /// The literal text of a string expression (through variables), to recognise
    /// SQL or shell commands.
    pub fn literal_text(&self, expr: &Expr) -> String {
        let mut out = String::new();
        let mut seen = HashSet::default();
        self.collect_text(expr, &mut out, &mut seen, 0);
        out
    }

    fn collect_text(
        &self,
        expr: &Expr,
        out: &mut String,
        seen: &mut HashSet<&'a str>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH || out.len() > 4096 {
            return;
        }
        let d = depth + 1;
        match expr {
            Expr::StringLiteral(s) => {
                out.push_str(s.value.to_str());
                out.push(' ');
            }
            Expr::FString(f) => {
                // Every part of an implicit concatenation, the plain literals
                // too: `"SELECT " f"{col} " "FROM t"`.
                for part in &f.value {
                    match part {
                        ast::FStringPart::Literal(literal) => out.push_str(&literal.value),
                        ast::FStringPart::FString(fstring) => {
                            for element in &fstring.elements {
                                if let Some(literal) = element.as_literal() {
                                    out.push_str(&literal.value);
                                } else {
                                    out.push(' ');
                                }
                            }
                        }
                    }
                }
                out.push(' ');
            }
            Expr::BinOp(op) => {
                self.collect_text(&op.left, out, seen, d);
                self.collect_text(&op.right, out, seen, d);
            }
            Expr::Call(call) => {
                if let Expr::Attribute(attr) = &*call.func {
                    self.collect_text(&attr.value, out, seen, d);
                }
            }
            Expr::If(e) => {
                self.collect_text(&e.body, out, seen, d);
                self.collect_text(&e.orelse, out, seen, d);
            }
            Expr::Name(name) => {
                let Some((key, bindings)) = self.lookup(name.id.as_str()) else {
                    return;
                };
                if !seen.insert(key) {
                    return;
                }
                for binding in bindings {
                    match binding {
                        Binding::Value(value) | Binding::Augmented(_, value) => {
                            self.collect_text(value, out, seen, d);
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether a `for` loop or comprehension of this scope iterates over `name`.
    pub fn is_iterated(&self, name: &str) -> bool {
        self.bindings
            .values()
            .flatten()
            .any(|binding| matches!(binding, Binding::Element(Expr::Name(n)) if n.id == name))
    }

    /// The value of `name` when this scope (or the module's, when this one does
    /// not bind it) binds it exactly once, with `name = value`.
    pub fn single_value(&self, name: &str) -> Option<&'a Expr> {
        match self.lookup(name)?.1.as_slice() {
            [Binding::Value(value)] => Some(value),
            _ => None,
        }
    }

    /// Whether `expr` is an instance of one of `classes` (qualified names):
    /// a direct call (`httpx.Client()`), or a name that this scope binds (the
    /// module's scope when this one does not bind it) with `x = C(...)` or
    /// `with C(...) as x` / `async with`. Names are tracked per scope, so a
    /// `client` of one function says nothing about a `client` of another.
    pub fn is_instance_of(&self, expr: &Expr, classes: &[&str]) -> bool {
        let constructed = |value: &Expr| matches!(value, Expr::Call(call) if self.semantic.resolves_to(&call.func, classes));
        match expr {
            Expr::Call(_) => constructed(expr),
            Expr::Name(name) => self.lookup(name.id.as_str()).is_some_and(|(_, bindings)| {
                bindings.iter().any(|binding| match *binding {
                    Binding::Value(value) | Binding::Element(value) => constructed(value),
                    _ => false,
                })
            }),
            _ => false,
        }
    }

    /// Whether exception text can occur in this scope: it binds a caught
    /// exception (or is an error handler), or the module imports `traceback`.
    pub fn has_exceptions(&self) -> bool {
        self.exceptions
    }

    /// Whether `expr` is a caught exception (`except E as e`, or an error
    /// handler's exception parameter).
    pub fn is_exception(&self, expr: &Expr) -> bool {
        let Expr::Name(name) = expr else { return false };
        self.bindings
            .get(name.id.as_str())
            .is_some_and(|b| b.iter().any(|b| matches!(b, Binding::Exception)))
    }

    /// Whether `expr` is an attribute of a caught exception that carries its
    /// message: `e.orig` (the database driver's error of an SQLAlchemy
    /// exception), `e.args`, `e.message`, `e.msg`, `e.strerror`, `e.__cause__`.
    fn exception_detail(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Attribute(attr)
            if matches!(
                attr.attr.as_str(),
                "orig" | "args" | "message" | "msg" | "strerror" | "__cause__" | "__context__"
            ) && self.is_exception(&attr.value))
    }

    /// Whether `expr` is the text of an exception or a stack trace:
    /// `traceback.format_exc()`, `str(e)`, `repr(e)`, an f-string, `%` or
    /// `.format()` of a caught exception, or a variable assigned from one.
    pub fn is_exception_text(&self, expr: &Expr) -> bool {
        self.exception_text(expr, 0)
    }

    fn exception_text(&self, expr: &Expr, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let d = depth + 1;
        let part = |e: &Expr| {
            self.is_exception(e) || self.exception_detail(e) || self.exception_text(e, d)
        };
        match expr {
            Expr::Call(call) => {
                let resolvable = callee_name(call).is_some_and(|name| {
                    matches!(name, "str" | "repr" | "format")
                        || TRACEBACK_TEXT
                            .iter()
                            .any(|t| crate::analysis::semantic::last_segment_is(t, name))
                });
                if resolvable
                    && let Some(qualified) = self.semantic.resolve_qualified_name(&call.func)
                {
                    if qualified.is_any(TRACEBACK_TEXT) {
                        return true;
                    }
                    if qualified.is_any(&["builtins.str", "builtins.repr", "builtins.format"]) {
                        return call.arguments.args.first().is_some_and(part);
                    }
                }
                match &*call.func {
                    Expr::Attribute(attr) if attr.attr.as_str() == "format" => {
                        call.arguments.args.iter().any(part)
                            || call.arguments.keywords.iter().any(|k| part(&k.value))
                    }
                    Expr::Attribute(attr) => self.exception_text(&attr.value, d),
                    _ => false,
                }
            }
            Expr::FString(f) => f.value.elements().any(|element| {
                element
                    .as_interpolation()
                    .is_some_and(|i| part(&i.expression))
            }),
            Expr::BinOp(op) if op.op == Operator::Mod => {
                self.exception_text(&op.left, d) || part(&op.right)
            }
            Expr::BinOp(op) if op.op == Operator::Add => {
                self.exception_text(&op.left, d) || self.exception_text(&op.right, d)
            }
            Expr::Tuple(t) => t.elts.iter().any(part),
            // A dict or list holding exception text, as the value of a variable
            // that is returned (`result = {"message": repr(e)}` ...
            // `jsonify(result)`). In place, the element itself is reported.
            Expr::Dict(dict) if depth > 0 => dict.items.iter().any(|item| part(&item.value)),
            Expr::List(list) if depth > 0 => list.elts.iter().any(part),
            Expr::Name(name) => self.name_query(name.id.as_str(), Query::ExceptionText, d),
            _ => false,
        }
    }

    fn lookup(&self, name: &str) -> Option<(&'a str, &Vec<Binding<'a>>)> {
        if let Some((key, bindings)) = self.bindings.get_key_value(name) {
            return Some((*key, bindings));
        }
        self.parent.and_then(|p| {
            p.bindings
                .get_key_value(name)
                .map(|(key, bindings)| (*key, bindings))
        })
    }

    fn name_query(&self, name: &str, query: Query, depth: usize) -> bool {
        if let Query::Parameter(index) = query {
            if matches!(name, "self" | "cls") {
                return false;
            }
            // The parameter itself (whatever else is assigned to the name).
            if let ScopeKind::Function(def) = self.kind
                && (index == ANY_PARAMETER
                    || def
                        .parameters
                        .iter()
                        .nth(index)
                        .is_some_and(|p| p.name().as_str() == name))
                && self
                    .bindings
                    .get(name)
                    .is_some_and(|b| b.iter().any(|b| matches!(b, Binding::Parameter(_))))
            {
                return true;
            }
        }
        let local = self.bindings.contains_key(name);
        if !local {
            // Module-level names: constants (and formatted strings) only.
            return match (self.parent, query) {
                (Some(parent), Query::Constant | Query::Dynamic | Query::Stringish) => {
                    parent.name_query(name, query, depth)
                }
                _ => false,
            };
        }
        let Some((key, bindings)) = self.bindings.get_key_value(name) else {
            return false;
        };
        let key = (*key, query);
        if let Some(&known) = self.memo.borrow().get(&key) {
            return known;
        }
        if !self.active.borrow_mut().insert(key) {
            // A cycle (`x = x + y`): constant-ness holds unless another binding
            // breaks it; every other property needs a non-cyclic witness.
            return query == Query::Constant;
        }
        let result = self.bindings_query(bindings, query, depth);
        self.active.borrow_mut().remove(&key);
        self.memo.borrow_mut().insert(key, result);
        result
    }

    fn bindings_query(&self, bindings: &[Binding<'a>], query: Query, depth: usize) -> bool {
        let d = depth + 1;
        let each = |binding: &Binding<'a>| -> bool {
            match (*binding, query) {
                (Binding::Value(v), Query::Request) => self.request_data(v, d),
                (Binding::Value(v), Query::Constant) => self.constant(v, d),
                (Binding::Value(v), Query::Dynamic) => self.dynamic(v, d),
                (Binding::Value(v), Query::Stringish) => self.stringish(v, d),
                (Binding::Value(v), Query::ExceptionText) => self.exception_text(v, d),
                (Binding::Augmented(_, v), Query::Request) => self.request_data(v, d),
                (Binding::Augmented(_, v), Query::Constant) => self.constant(v, d),
                (Binding::Augmented(op, v), Query::Dynamic) => {
                    self.dynamic(v, d)
                        || (matches!(op, Operator::Add | Operator::Mod) && !self.constant(v, d))
                }
                (Binding::Augmented(_, v), Query::Stringish) => self.stringish(v, d),
                (Binding::Augmented(_, v), Query::ExceptionText) => self.exception_text(v, d),
                (Binding::Element(v), Query::Request) => self.request_data(v, d),
                (
                    Binding::Value(v) | Binding::Augmented(_, v) | Binding::Element(v),
                    Query::Parameter(_),
                ) => self.data(v, d, query),
                (Binding::Element(v), Query::Constant) => self.constant(v, d),
                (Binding::Parameter(view_arg), Query::Request) => view_arg,
                _ => false,
            }
        };
        match query {
            Query::Constant => !bindings.is_empty() && bindings.iter().all(each),
            Query::Dynamic => {
                // `sql += " WHERE x = " + y` only counts when `sql` is a string.
                bindings.iter().any(|b| match b {
                    Binding::Augmented(..) => {
                        each(b)
                            && bindings.iter().any(|o| match *o {
                                Binding::Value(v) => self.stringish(v, d),
                                _ => false,
                            })
                    }
                    _ => each(b),
                })
            }
            _ => bindings.iter().any(each),
        }
    }

    /// Whether every request-data variable in `value` (the value used at
    /// `at`) passes an allow-list membership test first: `at` sits in the body
    /// of `if name in ALLOWED:`, or an earlier `if name not in ALLOWED:` leaves
    /// the function (`abort(...)`, `return`, `raise`) or gives `name` another
    /// value. The collection must not be request data itself (a literal set, a
    /// constant, `os.listdir(...)`, a dict's keys). `false` when `value` reads
    /// the request directly or has no request-data variable.
    pub fn allow_listed(&self, value: &Expr, at: &Node<'_, '_>) -> bool {
        self.guarded(value, at, false)
    }

    /// Like [`ScopeFlow::allow_listed`], also counting a same-site URL check:
    /// `if urlsplit(name).netloc: abort(400)` (or `!= ""`, also as one operand
    /// of an `or`, with a body that leaves or replaces `name`), or `at` inside
    /// `if not urlsplit(name).netloc:` / `== ""` (`urlparse` and Werkzeug's
    /// `url_parse` alike). What FH301 accepts as validated for a URL field.
    pub fn sanitized(&self, value: &Expr, at: &Node<'_, '_>) -> bool {
        self.guarded(value, at, true)
    }

    fn guarded(&self, value: &Expr, at: &Node<'_, '_>, netloc: bool) -> bool {
        let mut names = Vec::new();
        let mut direct = false;
        collect_request_names(self, value, &mut names, &mut direct, 0);
        if direct || names.is_empty() {
            return false;
        }
        let mut checked: HashSet<String> = HashSet::default();
        // Enclosing `if name in ALLOWED:` (also one operand of an `and`).
        for (i, stmt) in at.statements.iter().enumerate() {
            let Stmt::If(if_stmt) = stmt else { continue };
            let inner = at.statements.get(i + 1).copied().unwrap_or(at.statement());
            if !if_stmt
                .body
                .iter()
                .any(|s| s.range().contains_range(inner.range()))
            {
                continue;
            }
            let tests: Vec<&Expr> = match &*if_stmt.test {
                Expr::BoolOp(op) if op.op == ast::BoolOp::And => op.values.iter().collect(),
                test => vec![test],
            };
            checked.extend(
                tests
                    .into_iter()
                    .filter_map(|t| self.sanitizing_test(t, false, netloc)),
            );
        }
        // An earlier `if name not in ALLOWED: abort(404)` (also one operand of
        // an `or`), or one whose body gives `name` another value.
        let sink_start = at.expr.start();
        self.walk(|node| {
            let Stmt::If(if_stmt) = node.statement() else {
                return;
            };
            if !std::ptr::eq(&*if_stmt.test, node.expr) || if_stmt.end() > sink_start {
                return;
            }
            let tests: Vec<&Expr> = match node.expr {
                Expr::BoolOp(op) if op.op == ast::BoolOp::Or => op.values.iter().collect(),
                test => vec![test],
            };
            for name in tests
                .into_iter()
                .filter_map(|t| self.sanitizing_test(t, true, netloc))
            {
                let Some(last) = if_stmt.body.last() else { continue };
                let replaced = matches!(last, Stmt::Assign(assign)
                    if matches!(&assign.targets[..], [Expr::Name(target)] if target.id.as_str() == name)
                        && !self.is_request_data(&assign.value));
                if leaves_function(last) || replaced {
                    checked.insert(name);
                }
            }
        });
        names.iter().all(|name| checked.contains(*name))
    }

    /// The variable a test checks: `name in ALLOWED` (`not in` when `exit`,
    /// the test of a guard that leaves); with `netloc`, also the host of a
    /// parsed URL: `urlsplit(name).netloc` or `!= ""` when `exit`, `not
    /// urlsplit(name).netloc` or `== ""` otherwise.
    fn sanitizing_test(&self, test: &Expr, exit: bool, netloc: bool) -> Option<String> {
        match test {
            Expr::Compare(cmp) => {
                let ([op], [other]) = (&*cmp.ops, &*cmp.comparators) else {
                    return None;
                };
                if let Expr::Name(name) = &*cmp.left {
                    let wanted = if exit { CmpOp::NotIn } else { CmpOp::In };
                    return (*op == wanted && !self.is_request_data(other))
                        .then(|| name.id.to_string());
                }
                let wanted = if exit { CmpOp::NotEq } else { CmpOp::Eq };
                let empty = matches!(other, Expr::StringLiteral(s) if s.value.to_str().is_empty());
                if !netloc || *op != wanted || !empty {
                    return None;
                }
                self.parsed_host_of(&cmp.left)
            }
            Expr::UnaryOp(unary) if unary.op == ast::UnaryOp::Not && !exit && netloc => {
                self.parsed_host_of(&unary.operand)
            }
            Expr::Attribute(_) if exit && netloc => self.parsed_host_of(test),
            // `if not is_safe_url(name): abort(400)` / `if is_safe_url(name):`.
            Expr::UnaryOp(unary) if unary.op == ast::UnaryOp::Not && exit && netloc => {
                same_site_check_of(&unary.operand)
            }
            Expr::Call(_) if !exit && netloc => same_site_check_of(test),
            _ => None,
        }
    }

    /// `name` of `urlsplit(name).netloc` (or `urlparse`, Werkzeug's `url_parse`).
    fn parsed_host_of(&self, expr: &Expr) -> Option<String> {
        let Expr::Attribute(attr) = expr else {
            return None;
        };
        let Expr::Call(call) = &*attr.value else {
            return None;
        };
        let [Expr::Name(name)] = &*call.arguments.args else {
            return None;
        };
        (attr.attr.as_str() == "netloc" && self.semantic().resolves_to(&call.func, URL_PARSERS))
            .then(|| name.id.to_string())
    }

    /// Whether `node` (a variable) is the checked operand of a sanitising test:
    /// `name in ALLOWED` / `not in`, `urlsplit(name).netloc`, `is_safe_url(name)`.
    pub fn in_sanitizing_test(&self, node: &Node<'_, '_>) -> bool {
        let Expr::Name(_) = node.expr else {
            return false;
        };
        let depth = node.ancestors.len();
        match node.parent() {
            Some(Expr::Compare(cmp)) => {
                std::ptr::eq(&*cmp.left, node.expr)
                    && matches!(&*cmp.ops, [CmpOp::In | CmpOp::NotIn])
                    && !cmp.comparators.iter().any(|c| self.is_request_data(c))
            }
            Some(Expr::Call(call)) => {
                (call.arguments.args.len() == 1
                    && depth >= 2
                    && matches!(node.ancestors[depth - 2], Expr::Attribute(attr)
                        if attr.attr.as_str() == "netloc")
                    && self.semantic().resolves_to(&call.func, URL_PARSERS))
                    || matches!(call.arguments.args.first(), Some(first) if std::ptr::eq(first, node.expr))
                        && same_site_check_of(node.ancestors[depth - 1]).is_some()
            }
            _ => false,
        }
    }

    /// Every expression of this scope, in source order, with its ancestors and
    /// innermost statement (nested function bodies excluded: they are scopes
    /// of their own).
    pub fn walk(&self, mut f: impl FnMut(&Node<'_, 'a>)) {
        let mut walker = ScopeWalker {
            ancestors: Vec::new(),
            statements: Vec::new(),
            callback: &mut f,
        };
        walker.visit_body(self.body);
    }
}

/// The request-data variables of `expr` (`direct` when it reads the request
/// itself, as `request.args["x"]`).
fn collect_request_names<'v>(
    flow: &ScopeFlow<'_, '_>,
    expr: &'v Expr,
    names: &mut Vec<&'v str>,
    direct: &mut bool,
    depth: usize,
) {
    if depth > MAX_DEPTH || *direct {
        return;
    }
    match expr {
        Expr::Name(name) => {
            if flow.is_request_data(expr) && !names.contains(&name.id.as_str()) {
                names.push(name.id.as_str());
            }
        }
        _ if flow.request_read(expr).is_some() => *direct = true,
        _ => {
            let mut children = ChildExprs::default();
            children.visit_expr_children(expr);
            for child in children.0 {
                collect_request_names(flow, child, names, direct, depth + 1);
            }
        }
    }
}

/// The direct sub-expressions of an expression.
#[derive(Default)]
struct ChildExprs<'a>(Vec<&'a Expr>);

impl<'a> ChildExprs<'a> {
    fn visit_expr_children(&mut self, expr: &'a Expr) {
        visitor::walk_expr(self, expr);
    }
}

impl<'a> Visitor<'a> for ChildExprs<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        self.0.push(expr);
    }
}

/// Whether a statement leaves the function: `return`, `raise`, or a call to
/// `abort(...)` / `flask.abort(...)`.
fn leaves_function(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Return(_) | Stmt::Raise(_) => true,
        Stmt::Expr(e) => matches!(&*e.value, Expr::Call(call) if matches!(
            &*call.func,
            Expr::Name(n) if n.id.as_str() == "abort"
        ) || matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "abort")),
        _ => false,
    }
}

/// An expression met by [`ScopeFlow::walk`].
pub struct Node<'x, 'a> {
    /// The expression.
    pub expr: &'a Expr,
    /// Enclosing expressions, outermost first.
    pub ancestors: &'x [&'a Expr],
    /// Enclosing statements within the scope, outermost first (never empty).
    pub statements: &'x [&'a Stmt],
}

impl<'a> Node<'_, 'a> {
    /// The innermost enclosing statement.
    pub fn statement(&self) -> &'a Stmt {
        self.statements[self.statements.len() - 1]
    }

    /// The parent expression, if any.
    pub fn parent(&self) -> Option<&'a Expr> {
        self.ancestors.last().copied()
    }
}

struct ScopeWalker<'x, 'a, F> {
    ancestors: Vec<&'a Expr>,
    statements: Vec<&'a Stmt>,
    callback: &'x mut F,
}

impl<'a, F: FnMut(&Node<'_, 'a>)> Visitor<'a> for ScopeWalker<'_, 'a, F> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.statements.push(stmt);
        match stmt {
            Stmt::FunctionDef(function) => {
                // Decorators and defaults run in this scope; the body is its own.
                for decorator in &function.decorator_list {
                    self.visit_decorator(decorator);
                }
                for parameter in function.parameters.iter_non_variadic_params() {
                    if let Some(default) = parameter.default() {
                        self.visit_expr(default);
                    }
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
        self.statements.pop();
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.statements.is_empty() {
            return;
        }
        (self.callback)(&Node {
            expr,
            ancestors: &self.ancestors,
            statements: &self.statements,
        });
        self.ancestors.push(expr);
        visitor::walk_expr(self, expr);
        self.ancestors.pop();
    }
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

/// What the [`Checker`](super::checker::Checker) records about a module's flow
/// scopes while it walks the module once: its functions (each a scope of its
/// own, in source order, outer before nested), the packages it imports, the
/// functions it registers as error handlers, and for each scope whether the
/// flow rules can report anything in it. [`walk_scopes`] then analyses only the
/// scopes that can have findings; the others are never walked again.
#[derive(Debug, Default)]
pub struct FlowScopes<'a> {
    functions: Vec<FunctionScope<'a>>,
    module: ScopeMarks,
    /// Top-level packages imported anywhere in the module.
    modules: HashSet<String>,
    /// Functions registered with `x.register_error_handler(code, f)`.
    error_handlers: HashSet<String>,
    /// The functions whose bodies are being walked, innermost last.
    open: Vec<usize>,
    /// The bindings of the module's own statements (class and function
    /// bodies excluded), as recorded.
    module_bindings: Vec<Recorded<'a>>,
    /// Where the walk records bindings, innermost last (the module when empty).
    owners: Vec<Owner>,
    /// The statements being walked, innermost last (see [`Walked`]).
    statements: Vec<Walked>,
    /// Where the last lambda the walk met ends: a lambda binds nothing in
    /// the scope, and the expressions met before that offset are in it.
    lambda_end: ruff_text_size::TextSize,
}

/// The scope that owns the bindings the walk meets.
#[derive(Debug, Clone, Copy)]
enum Owner {
    /// The function at this index of [`FlowScopes::functions`].
    Function(usize),
    /// A class body: its bindings are class attributes, in no flow scope.
    Class,
}

/// A binding as the walk records it.
#[derive(Debug, Clone, Copy)]
struct Recorded<'a> {
    name: &'a str,
    binding: Binding<'a>,
}

/// A statement the walk is in. A scope's bindings are kept in the order
/// Python makes them: statement by statement, and within a statement those
/// of its own expressions (walrus targets, comprehension variables) before
/// its target (`x` in `x = [y for y in ys]`) and before the statements
/// nested in it. The walk meets the expressions after the target, so their
/// bindings are inserted where the statement's began.
#[derive(Debug, Clone, Copy)]
struct Walked {
    /// Where the statement's bindings begin in its scope's list.
    start: u32,
    /// Bindings of its own expressions recorded so far.
    from_expressions: u32,
    /// Whether its own expressions bind in the scope (not those of `try`,
    /// `match` and class statements, nor a function's parameters).
    expressions_bind: bool,
}

/// The bindings of one scope by name, each name's in the order they were made.
type BindingMap<'a> = HashMap<&'a str, Vec<Binding<'a>>>;

/// The recorded bindings of a scope (already in order) by name.
fn binding_map<'a>(recorded: &[Recorded<'a>]) -> BindingMap<'a> {
    let mut map: BindingMap<'a> = HashMap::default();
    for entry in recorded {
        map.entry(entry.name).or_default().push(entry.binding);
    }
    map
}

/// Records the names `target` binds to `binding` (tuples and lists
/// unpacked element by element when the value has the same shape).
fn bind_target<'a>(into: &mut Vec<Recorded<'a>>, target: &'a Expr, binding: Binding<'a>) {
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
struct FunctionScope<'a> {
    def: &'a ast::StmtFunctionDef,
    /// The class whose body defines the function directly (for `MethodView` methods).
    class: Option<&'a ast::StmtClassDef>,
    /// Defined in the module's outline (see [`FlowScopes::outline`]).
    outlined: bool,
    marks: ScopeMarks,
    /// The callees of its calls written as a name or `name.attribute`
    /// (`helper(...)`, `queries.find_user(...)`): what it may pass request
    /// data on to.
    calls: Vec<(&'a str, Option<&'a str>)>,
    /// Its calls that a flow rule looks at (recorded when `precise`).
    sinks: Vec<&'a ast::ExprCall>,
    /// A top-level function other modules import (see [`FlowScopes::set_precise`]).
    precise: bool,
    /// The bindings of its body (nested class and function bodies excluded),
    /// in order; its parameters are bound when its flow is built.
    bindings: Vec<Recorded<'a>>,
    /// The values of its `return` statements (nested class and function
    /// bodies excluded), in source order.
    returns: Vec<&'a Expr>,
}

/// What the walk saw in one scope (its own statements; nested functions are
/// scopes of their own).
#[derive(Debug, Clone, Copy, Default)]
struct ScopeMarks {
    /// A call that a flow rule looks at (`execute`, `open`, `redirect`, ...).
    sink: bool,
    /// An `except ... as name` clause.
    caught: bool,
    /// A call that builds a response (`jsonify`, `make_response`, `Response`,
    /// `abort`): exception text reaches clients only through those, or as a
    /// view's or error handler's return value.
    response: bool,
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
    fn bindings_mut(&mut self) -> Option<&mut Vec<Recorded<'a>>> {
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
    fn record_expr_bindings(&mut self, expr: &'a Expr) {
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
    fn record_bindings(&mut self, stmt: &'a Stmt) {
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
                    bind_name(into, super::semantic::top_segment(bound), Binding::Unknown);
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

    /// The bindings recorded for the function `def` (none when the walk did
    /// not meet it).
    fn function_bindings(&self, def: &ast::StmtFunctionDef) -> BindingMap<'a> {
        self.functions
            .iter()
            .find(|scope| std::ptr::eq(scope.def, def))
            .map(|scope| binding_map(&scope.bindings))
            .unwrap_or_default()
    }

    /// The values `def`'s `return` statements give (none when the walk did
    /// not meet it).
    fn function_returns(&self, def: &ast::StmtFunctionDef) -> &[&'a Expr] {
        self.functions
            .iter()
            .find(|scope| std::ptr::eq(scope.def, def))
            .map_or(&[], |scope| &scope.returns)
    }

    fn current(&mut self) -> &mut ScopeMarks {
        match self.open.last() {
            Some(&index) => &mut self.functions[index].marks,
            None => &mut self.module,
        }
    }

    /// The marks of the current scope (the innermost open function, else the module).
    fn marks(&self) -> ScopeMarks {
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
                    let root = super::semantic::top_segment(alias.name.as_str());
                    if !self.modules.contains(root) {
                        self.modules.insert(root.to_owned());
                    }
                }
            }
            Stmt::ImportFrom(import) if import.level == 0 => {
                if let Some(module) = &import.module {
                    let root = super::semantic::top_segment(module.as_str());
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

    fn is_error_handler(&self, def: &ast::StmtFunctionDef) -> bool {
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
    pub imported_names: Option<&'l super::context::NameSet>,
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

static NO_NAMES: HashSet<&'static str> = HashSet::with_hasher(rustc_hash::FxBuildHasher);

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
fn export_functions<'a>(
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

impl ScopeFlow<'_, '_> {
    /// Whether an argument of `call` carries request data.
    pub fn has_request_argument(&self, call: &ast::ExprCall) -> bool {
        call.arguments.args.iter().any(|a| self.is_request_data(a))
            || call
                .arguments
                .keywords
                .iter()
                .any(|k| self.is_request_data(&k.value))
    }
}

/// The names of `def`'s parameters for which `holds(flow, position)` is
/// true, in order; all of them when there is no flow to ask (a guess).
fn parameters_where<'a>(
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
fn reach<'a>(
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
fn top_level_functions<'a>(
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
fn request_arguments<'c>(
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
fn seeded_parameters<'a>(def: &'a ast::StmtFunctionDef, seed: &Seed) -> Vec<&'a str> {
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
fn is_scalar_annotation(annotation: &Expr) -> bool {
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

/// The flow scopes of a module, recorded by the checker's walk (`text` is
/// the module's source; the file and its context live as long as the test).
#[cfg(test)]
pub(crate) fn scopes_of<'a>(text: &str, module: &'a super::parse::ParsedModule) -> FlowScopes<'a> {
    use ruff_python_ast::visitor::Visitor as _;
    let source: &'static super::source::SourceFile = Box::leak(Box::new(
        super::source::SourceFile::from_text(std::path::Path::new("app.py"), text.to_owned()),
    ));
    let context: &'static super::context::FileContext =
        Box::leak(Box::new(super::context::FileContext::default()));
    let mut checker =
        super::checker::Checker::new(source, module, super::codes::RuleSet::all(), context);
    checker.visit_body(module.suite());
    checker.into_flow_scopes()
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
