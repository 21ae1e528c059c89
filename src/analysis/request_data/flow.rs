//! The queries over one scope's recorded bindings: a [`ScopeFlow`] answers
//! whether an expression carries request data, is a provable constant, is a
//! string formatted from non-literal values or is exception text, and walks
//! the scope's expressions with their ancestors ([`Node`]).

use super::*;

/// The bindings of one scope and the queries the injection rules ask.
pub struct ScopeFlow<'s, 'a> {
    pub(super) semantic: &'s SemanticModel<'a>,
    pub(super) kind: ScopeKind<'a>,
    pub(super) body: &'a [Stmt],
    pub(super) bindings: BindingMap<'a>,
    pub(super) parent: Option<&'s ScopeFlow<'s, 'a>>,
    /// What the checker's walk recorded about the module's scopes.
    pub(super) scopes: &'s FlowScopes<'a>,
    /// Top-level package names imported anywhere in the module (module scope only).
    pub(super) modules: HashSet<String>,
    /// Functions registered with `x.register_error_handler(code, f)` anywhere
    /// in the module (module scope only).
    pub(super) registered_handlers: HashSet<String>,
    pub(super) route: bool,
    pub(super) error_handler: bool,
    pub(super) exceptions: bool,
    pub(super) memo: RefCell<HashMap<(&'a str, Query), bool>>,
    pub(super) active: RefCell<HashSet<(&'a str, Query)>>,
    /// Routes whose request data reaches this function through its
    /// parameters (`helper(name)` called from a view), for messages.
    pub(super) via: Vec<RouteRef>,
    /// What the module's functions return (module scope only), computed on
    /// demand: see [`ScopeFlow::helper_summary`].
    pub(super) summaries: RefCell<HashMap<String, Option<Summary>>>,
    /// What the functions this module imports from other modules of the
    /// project return (module scope only): local name -> summary.
    pub(super) imported: &'s BTreeMap<String, Summary>,
    /// Names this module imports from other modules of the project that are
    /// FastAPI dependency aliases (module scope only; see
    /// [`is_dependency_parameter`]).
    pub(super) dependencies: &'s HashSet<&'s str>,
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
pub(super) fn same_site_check_of(expr: &Expr) -> Option<String> {
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
pub(super) const URL_PARSERS: &[&str] = &[
    "urllib.parse.urlsplit",
    "urllib.parse.urlparse",
    "werkzeug.urls.url_parse",
    "werkzeug.urls.urlsplit",
];

/// How many functions deep request data is followed through parameters.
pub(crate) const MAX_CALL_DEPTH: usize = 3;

/// Methods on a request-data value whose result is no longer request data.
pub(super) const NON_PROPAGATING_METHODS: &[&str] = &[
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
pub(super) const SANITIZERS: &[&str] = &[
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
pub(super) const PROPAGATORS: &[&str] = &[
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
pub(super) const TRACEBACK_TEXT: &[&str] = &[
    "traceback.format_exc",
    "traceback.format_exception",
    "traceback.format_exception_only",
    "traceback.format_tb",
    "traceback.format_stack",
];

pub(super) const MAX_DEPTH: usize = 48;

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
    pub(super) fn function_with(
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
    pub(super) fn helper_summary(&self, name: &str) -> Option<Summary> {
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
    pub(super) fn may_reach_sink(&self, call: &ast::ExprCall, parameter: usize) -> bool {
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
                if crate::analysis::rules::path_traversal::receiver_is_path(attr.attr.as_str())
                    && self.is_parameter_data(&attr.value, parameter))
    }

    /// Whether `expr` carries request data or what a parameter of the
    /// function (not `self` or `cls`) carries, through the same operations:
    /// what request data given to the function could reach.
    pub fn is_parameter_data(&self, expr: &Expr, parameter: usize) -> bool {
        self.data(expr, 0, Query::Parameter(parameter))
    }

    pub(super) fn request_data(&self, expr: &Expr, depth: usize) -> bool {
        self.data(expr, depth, Query::Request)
    }

    /// Whether `expr` carries request data (`Query::Request`), or with
    /// `Query::Parameter` either that or what the function's parameters
    /// carry (see [`ScopeFlow::is_parameter_data`]).
    pub(super) fn data(&self, expr: &Expr, depth: usize, q: Query) -> bool {
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

    pub(super) fn call_data(&self, call: &ast::ExprCall, depth: usize, q: Query) -> bool {
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

    pub(super) fn constant(&self, expr: &Expr, depth: usize) -> bool {
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

    pub(super) fn dynamic(&self, expr: &Expr, depth: usize) -> bool {
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

    pub(super) fn stringish(&self, expr: &Expr, depth: usize) -> bool {
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

    pub(super) fn collect_text(
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
    pub(super) fn exception_detail(&self, expr: &Expr) -> bool {
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

    pub(super) fn exception_text(&self, expr: &Expr, depth: usize) -> bool {
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

    pub(super) fn lookup(&self, name: &str) -> Option<(&'a str, &Vec<Binding<'a>>)> {
        if let Some((key, bindings)) = self.bindings.get_key_value(name) {
            return Some((*key, bindings));
        }
        self.parent.and_then(|p| {
            p.bindings
                .get_key_value(name)
                .map(|(key, bindings)| (*key, bindings))
        })
    }

    pub(super) fn name_query(&self, name: &str, query: Query, depth: usize) -> bool {
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

    pub(super) fn bindings_query(
        &self,
        bindings: &[Binding<'a>],
        query: Query,
        depth: usize,
    ) -> bool {
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

    pub(super) fn guarded(&self, value: &Expr, at: &Node<'_, '_>, netloc: bool) -> bool {
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
    pub(super) fn sanitizing_test(&self, test: &Expr, exit: bool, netloc: bool) -> Option<String> {
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
    pub(super) fn parsed_host_of(&self, expr: &Expr) -> Option<String> {
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
pub(super) fn collect_request_names<'v>(
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
pub(super) struct ChildExprs<'a>(Vec<&'a Expr>);

impl<'a> ChildExprs<'a> {
    pub(super) fn visit_expr_children(&mut self, expr: &'a Expr) {
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
pub(super) fn leaves_function(stmt: &Stmt) -> bool {
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

pub(super) struct ScopeWalker<'x, 'a, F> {
    pub(super) ancestors: Vec<&'a Expr>,
    pub(super) statements: Vec<&'a Stmt>,
    pub(super) callback: &'x mut F,
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
