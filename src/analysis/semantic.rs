//! The per-file semantic model shared by all rules: import and alias resolution
//! (`import flask`, `import flask_cors as fc`, `from flask_cors import CORS as
//! Cors`) giving a [`QualifiedName`] for any name or attribute chain, simple
//! bindings (`app = Flask(__name__)` makes `app` an instance of `flask.Flask`),
//! and the scope stack the checker maintains while walking (enclosing class,
//! function, statement, development guards).
//!
//! Resolution is deliberately flow-insensitive: every import anywhere in the file
//! counts, which is what a security linter wants (fewer misses, same precision for
//! the names Flask code uses).

use rustc_hash::FxHashMap as HashMap;
use std::fmt;

use ruff_python_ast::name::UnqualifiedName;
use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_python_ast::{self as ast, CmpOp, Expr, Stmt, UnaryOp};
use ruff_text_size::Ranged;

/// A dotted, fully resolved name such as `flask.Flask` or `flask_cors.CORS`.
/// Builtins resolve to `builtins.<name>`; relative imports keep their dots as a
/// first segment (`from .extensions import cors` gives `..extensions.cors` with
/// the segments `[".", "extensions", "cors"]`).
///
/// Stored as the dotted text plus the length of the first segment (the only
/// one that may contain dots) and the start of the last one, so that
/// building a name is one allocation, comparing it with dotted names is a
/// string comparison, and its last segment is a slice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct QualifiedName {
    dotted: String,
    first_len: usize,
    last_start: usize,
}

impl QualifiedName {
    /// Builds a name from segments.
    pub fn from_segments<S: AsRef<str>>(segments: impl IntoIterator<Item = S>) -> Self {
        let mut segments = segments.into_iter();
        let Some(first) = segments.next() else {
            return Self::default();
        };
        let first = first.as_ref();
        let mut name = Self {
            dotted: first.to_owned(),
            first_len: first.len(),
            last_start: 0,
        };
        for segment in segments {
            name.push(segment.as_ref());
        }
        name
    }

    /// This name followed by one more segment (the segment alone when this
    /// name is empty).
    fn joined(&self, segment: &str) -> Self {
        if self.dotted.is_empty() {
            return Self::from_segments([segment]);
        }
        let mut name = Self {
            dotted: String::with_capacity(self.dotted.len() + 1 + segment.len()),
            first_len: self.first_len,
            last_start: self.last_start,
        };
        name.dotted.push_str(&self.dotted);
        name.push(segment);
        name
    }

    fn push(&mut self, segment: &str) {
        self.dotted.push('.');
        self.last_start = self.dotted.len();
        self.dotted.push_str(segment);
    }

    /// The segments, first to last.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        let (first, rest) = self.dotted.split_at(self.first_len);
        std::iter::once(first)
            .filter(|_| !self.dotted.is_empty())
            .chain(
                rest.strip_prefix('.')
                    .map(|r| r.split('.'))
                    .into_iter()
                    .flatten(),
            )
    }

    /// Whether the segments equal `expected` exactly.
    pub fn is(&self, expected: &[&str]) -> bool {
        self.segments().eq(expected.iter().copied())
    }

    /// Whether this name is one of `candidates` (each a dotted string).
    pub fn is_any(&self, candidates: &[&str]) -> bool {
        candidates.contains(&self.dotted.as_str())
    }

    /// The last segment (`Flask` for `flask.Flask`).
    pub fn last(&self) -> &str {
        &self.dotted[self.last_start..]
    }

    /// The dotted form, `flask.Flask`.
    pub fn dotted(&self) -> String {
        self.dotted.clone()
    }

    /// The dotted form, borrowed.
    pub fn as_str(&self) -> &str {
        &self.dotted
    }

    /// Makes this name `target` followed by `rest`, reusing the buffer.
    fn assign(&mut self, target: &QualifiedName, rest: &[&str]) {
        self.dotted.clear();
        self.dotted.push_str(&target.dotted);
        self.first_len = target.first_len;
        self.last_start = target.last_start;
        for segment in rest {
            self.push(segment);
        }
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dotted)
    }
}

/// What a simple `name = <call>` assignment bound.
#[derive(Debug, Clone)]
pub struct CallBinding<'a> {
    /// The resolved callee, e.g. `flask.Flask`.
    pub callee: QualifiedName,
    /// The call expression.
    pub call: &'a ast::ExprCall,
}

/// A scope the walk is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// A class body.
    Class,
    /// A function body.
    Function,
}

/// Imports, bindings and the walk's scope stack for one module.
#[derive(Debug, Default)]
pub struct SemanticModel<'a> {
    imports: HashMap<String, QualifiedName>,
    bindings: HashMap<&'a str, CallBinding<'a>>,
    values: HashMap<&'a str, &'a Expr>,
    function_defs: HashMap<&'a str, &'a ast::StmtFunctionDef>,
    flask_subclasses: Vec<&'a str>,
    /// Names passed to `<config>.from_object(name)` anywhere in the module.
    from_object_names: Vec<&'a str>,
    /// Enclosing statements, outermost first (maintained by the checker).
    pub(crate) statements: Vec<&'a Stmt>,
    /// Enclosing classes, outermost first.
    pub(crate) classes: Vec<&'a ast::StmtClassDef>,
    /// Enclosing functions, outermost first.
    pub(crate) functions: Vec<&'a ast::StmtFunctionDef>,
    /// Enclosing class and function scopes, outermost first.
    pub(crate) scopes: Vec<ScopeKind>,
    /// How many enclosing `if` bodies are development/debug/testing guards.
    pub(crate) dev_guards: usize,
    /// How many enclosing classes are named as development/testing configuration.
    pub(crate) dev_classes: usize,
    /// The last expression resolved by [`resolves_to`](Self::resolves_to):
    /// every rule asks about the call being visited, one after the other.
    last_resolved: std::cell::RefCell<Resolved>,
}

/// A remembered resolution: the expression's address and range (a parsed
/// node's range is never empty; synthesized ones are not remembered), and the
/// name it resolves to, in a buffer reused from one expression to the next.
#[derive(Debug, Default)]
struct Resolved {
    key: Option<(usize, ruff_text_size::TextRange)>,
    found: bool,
    name: QualifiedName,
}

/// The module builtins resolve into.
static BUILTINS_MODULE: std::sync::LazyLock<QualifiedName> =
    std::sync::LazyLock::new(|| QualifiedName::from_segments(["builtins"]));

const BUILTINS: &[&str] = &[
    "open",
    "eval",
    "exec",
    "compile",
    "__import__",
    "input",
    "print",
    "str",
    "repr",
    "format",
    "getattr",
    "setattr",
    "int",
    "float",
    "bytes",
    "dict",
    "list",
    "len",
];

impl<'a> SemanticModel<'a> {
    /// Builds the import table and call bindings of a module.
    pub fn new(suite: &'a [Stmt]) -> Self {
        Self::with_reexports(suite, &std::collections::BTreeMap::new())
    }

    /// Like [`new`](Self::new), with names this module imports from a project
    /// module that re-exports them resolved to their origin (`SecureHeaders`
    /// from `.compat` -> `flask_talisman.Talisman`).
    pub fn with_reexports(
        suite: &'a [Stmt],
        reexports: &std::collections::BTreeMap<String, String>,
    ) -> Self {
        let mut collector = Collector::default();
        collector.visit_body(suite);
        for (local, dotted) in reexports {
            collector.imports.insert(
                local.clone(),
                QualifiedName::from_segments(dotted.split('.')),
            );
        }
        collector.bind_star_imports();
        let mut model = Self {
            imports: collector.imports,
            values: collector.values,
            function_defs: collector.functions,
            from_object_names: collector.from_object_names,
            ..Self::default()
        };
        for class in collector.classes {
            let subclasses_flask = class.bases().iter().any(|base| {
                model.resolve_qualified_name(base).is_some_and(|q| {
                    q.is_any(&["flask.Flask", "flask.app.Flask", "apiflask.APIFlask"])
                })
            });
            if subclasses_flask {
                model.flask_subclasses.push(class.name.as_str());
            }
        }
        for (name, call) in collector.assignments {
            if let Some(callee) = model.resolve_qualified_name(&call.func) {
                model
                    .bindings
                    .entry(name)
                    .or_insert(CallBinding { callee, call });
            }
        }
        model
    }

    /// The qualified name of a name or attribute chain, following imports and
    /// aliases: with `from flask_cors import CORS as Cors`, `Cors` resolves to
    /// `flask_cors.CORS`; with `import flask_cors as fc`, `fc.CORS` does too.
    /// Names that are neither imported nor builtins resolve to `None`.
    pub fn resolve_qualified_name(&self, expr: &Expr) -> Option<QualifiedName> {
        let expr = match expr {
            Expr::Call(call) => &call.func,
            other => other,
        };
        let mut name = QualifiedName::default();
        self.resolve_into(expr, &mut name).then_some(name)
    }

    /// Resolves `expr` (not a call) into `name`, reusing its buffer; false
    /// when it does not resolve (`name` is then meaningless).
    fn resolve_into(&self, expr: &Expr, name: &mut QualifiedName) -> bool {
        let Some(unqualified) = UnqualifiedName::from_expr(expr) else {
            return false;
        };
        let Some((head, rest)) = unqualified.segments().split_first() else {
            return false;
        };
        if let Some(target) = self.imports.get(*head) {
            name.assign(target, rest);
            return true;
        }
        if rest.is_empty() && BUILTINS.contains(head) {
            name.assign(&BUILTINS_MODULE, &[*head]);
            return true;
        }
        false
    }

    /// Runs `f` on the name `expr` (not a call) resolves to, resolving it
    /// only when it is not the expression asked about last.
    fn with_resolved<R>(&self, expr: &Expr, f: impl FnOnce(Option<&QualifiedName>) -> R) -> R {
        let range = expr.range();
        if range.is_empty() {
            return f(self.resolve_qualified_name(expr).as_ref());
        }
        let key = Some((std::ptr::from_ref(expr) as usize, range));
        let mut memo = self.last_resolved.borrow_mut();
        if memo.key != key {
            let Resolved { found, name, .. } = &mut *memo;
            *found = self.resolve_into(expr, name);
            memo.key = key;
        }
        f(memo.found.then_some(&memo.name))
    }

    /// Whether `expr` resolves to one of the dotted `names` (the same answer as
    /// [`resolve_qualified_name`](Self::resolve_qualified_name) followed by
    /// [`QualifiedName::is_any`]). The rules ask this of the call being
    /// visited one after the other: its resolution is remembered, in a buffer
    /// reused from one expression to the next.
    pub fn resolves_to(&self, expr: &Expr, names: &[&str]) -> bool {
        let expr = match expr {
            Expr::Call(call) => &call.func,
            other => other,
        };
        match expr {
            // What an attribute resolves to ends with the attribute's name:
            // most calls are methods no name in `names` ends with, found
            // without resolving (or remembering) anything.
            Expr::Attribute(attr) => {
                let last = attr.attr.as_str();
                if !names.iter().any(|name| last_segment_is(name, last)) {
                    return false;
                }
            }
            Expr::Name(_) => {}
            _ => return false,
        }
        self.with_resolved(expr, |name| name.is_some_and(|name| name.is_any(names)))
    }

    /// Whether `name` is passed to `<config>.from_object(name)` in this module:
    /// its upper-case attributes become settings (`settings.DEBUG = True`).
    pub fn is_loaded_config_object(&self, name: &str) -> bool {
        self.from_object_names.contains(&name)
    }

    /// The value last assigned to the variable `name` by a simple `name = value`
    /// anywhere in the module (flow-insensitive).
    pub fn assigned_value(&self, name: &str) -> Option<&'a Expr> {
        self.values.get(name).copied()
    }

    /// The function named `name` defined in this module (the first one, at any
    /// nesting level), for rules that look into a helper the code calls.
    pub fn function_def(&self, name: &str) -> Option<&'a ast::StmtFunctionDef> {
        self.function_defs.get(name).copied()
    }

    /// What the variable `name` was assigned from, when it was `name = <call>`.
    pub fn call_binding(&self, name: &str) -> Option<&CallBinding<'a>> {
        self.bindings.get(name)
    }

    /// The callee that created the object `expr` refers to: `flask.Flask` for
    /// `app` after `app = Flask(__name__)`, or for the call `Flask(__name__)` itself.
    pub fn instance_of(&self, expr: &Expr) -> Option<QualifiedName> {
        match expr {
            Expr::Name(name) => self.call_binding(&name.id).map(|b| b.callee.clone()),
            Expr::Call(call) => self.resolve_qualified_name(&call.func),
            _ => None,
        }
    }

    /// Whether `name` is a class of this module that subclasses `flask.Flask`.
    pub fn is_flask_subclass(&self, name: &str) -> bool {
        self.flask_subclasses.contains(&name)
    }

    /// Whether the module imports Flask, Werkzeug or a Flask extension.
    pub fn imports_flask(&self) -> bool {
        self.imports.values().any(|q| {
            q.segments()
                .next()
                .is_some_and(|m| m.starts_with("flask") || m == "werkzeug" || m == "apiflask")
        })
    }

    /// Whether some import binds a name whose last segment is `last`
    /// (`request` for `from flask import request as rq`).
    pub fn imports_any(&self, last: &str) -> bool {
        self.imports.values().any(|q| q.last() == last)
    }

    /// Whether `name` is bound by an import (a module or an imported object).
    pub fn is_imported(&self, name: &str) -> bool {
        self.imports.contains_key(name)
    }

    /// The last name of a call's callee as it was imported: `run` for
    /// `sh_run(...)` after `from subprocess import run as sh_run`; otherwise
    /// the name as written (`execute` for `db.execute(...)`, like
    /// [`callee_name`](crate::analysis::request_data::callee_name)). Rules test
    /// it before resolving the full name, so an aliased import must give the
    /// original name or the rule would never look at the call.
    pub fn imported_callee_name<'s>(&'s self, call: &'s ast::ExprCall) -> Option<&'s str> {
        self.last_segment(&call.func)
    }

    /// The last segment of the name `expr` resolves to, found without
    /// resolving it: an attribute's name, or a plain name's imported name
    /// (`x` for `from m import x as y`; the name itself when not imported).
    /// A necessary condition for [`resolves_to`](Self::resolves_to), cheap
    /// enough to test first.
    pub fn last_segment<'s>(&'s self, expr: &'s Expr) -> Option<&'s str> {
        match expr {
            Expr::Name(name) => Some(
                self.imports
                    .get(name.id.as_str())
                    .map_or(name.id.as_str(), QualifiedName::last),
            ),
            Expr::Attribute(attr) => Some(attr.attr.as_str()),
            _ => None,
        }
    }

    /// A cheap pre-filter: whether the called name (its imported name when it
    /// is an alias) is the last segment of one of the dotted names in `names`.
    pub fn callee_may_be(&self, call: &ast::ExprCall, names: &CalleeNames) -> bool {
        match &*call.func {
            Expr::Attribute(attr) => names.contains(attr.attr.as_str()),
            // A resolved name ends with the imported name (or is
            // `builtins.<name>`); an unresolved one is not imported.
            func @ Expr::Name(name) => self.with_resolved(func, |resolved| match resolved {
                Some(resolved) => names.contains(resolved.last()),
                None => names.contains(name.id.as_str()),
            }),
            _ => false,
        }
    }

    /// Whether `expr` is likely the Flask application object: an instance of
    /// `flask.Flask` (or a subclass named `*Flask`), `current_app`, or a name such
    /// as `app` / `application` / `*_app` that is not an imported module.
    pub fn is_flask_app(&self, expr: &Expr) -> bool {
        if let Some(callee) = self.instance_of(expr) {
            return callee.last().ends_with("Flask") || callee.last() == "APIFlask";
        }
        if self.resolves_to(expr, &["flask.current_app"]) {
            return true;
        }
        let name = match expr {
            Expr::Name(n) => n.id.as_str(),
            Expr::Attribute(a) => a.attr.as_str(),
            _ => return false,
        };
        if matches!(expr, Expr::Name(_)) && self.is_imported(name) {
            return false;
        }
        let lower = name.to_ascii_lowercase();
        lower == "app" || lower == "application" || lower.ends_with("_app")
    }

    /// Whether `expr` is an instance of a blueprint class (`flask.Blueprint`,
    /// flask-smorest's `Blueprint`, APIFlask's `APIBlueprint`) made in this module.
    pub fn is_blueprint(&self, expr: &Expr) -> bool {
        self.instance_of(expr)
            .is_some_and(|callee| callee.last().ends_with("Blueprint"))
    }

    /// For a call that may start a development server (`app.run(...)`,
    /// `run_simple(...)`, `DebuggedApplication(...)`): the callee's last name and
    /// its qualified name. `None` for `asyncio.run`, `subprocess.run` and other
    /// well-known `run` functions that are not Flask servers.
    pub fn server_call<'c>(
        &self,
        call: &'c ast::ExprCall,
    ) -> Option<(&'c str, Option<QualifiedName>)> {
        const OTHER_RUNS: &[&str] = &[
            "asyncio.run",
            "subprocess.run",
            "trio.run",
            "anyio.run",
            "uvicorn.run",
        ];
        let qualified = self.resolve_qualified_name(&call.func);
        if qualified.as_ref().is_some_and(|q| q.is_any(OTHER_RUNS)) {
            return None;
        }
        let callee = match &*call.func {
            Expr::Attribute(attr) => attr.attr.as_str(),
            Expr::Name(name) => name.id.as_str(),
            _ => return None,
        };
        Some((callee, qualified))
    }

    /// The innermost enclosing class, if any.
    pub fn current_class(&self) -> Option<&'a ast::StmtClassDef> {
        self.classes.last().copied()
    }

    /// The class whose body directly contains the current statement (class
    /// attributes such as `DEBUG = True` in a config class).
    pub fn class_body(&self) -> Option<&'a ast::StmtClassDef> {
        match self.scopes.last() {
            Some(ScopeKind::Class) => self.current_class(),
            _ => None,
        }
    }

    /// The innermost enclosing function, if any.
    pub fn current_function(&self) -> Option<&'a ast::StmtFunctionDef> {
        self.functions.last().copied()
    }

    /// The innermost statement being visited.
    pub fn current_statement(&self) -> Option<&'a Stmt> {
        self.statements.last().copied()
    }

    /// The statement that directly contains the current one (its class, function,
    /// `if`, ...), `None` at module level.
    pub fn parent_statement(&self) -> Option<&'a Stmt> {
        let n = self.statements.len();
        (n >= 2).then(|| self.statements[n - 2])
    }

    /// Whether the walk is at module level (no enclosing class or function).
    pub fn at_module_level(&self) -> bool {
        self.scopes.is_empty()
    }

    /// Whether the walk is inside an `if` body guarded by a debug, testing or
    /// development check (see [`is_development_guard`]).
    pub fn in_development_guard(&self) -> bool {
        self.dev_guards > 0
    }

    /// Whether an enclosing class is named as development/testing configuration
    /// (see [`is_development_name`]).
    pub fn in_development_class(&self) -> bool {
        self.dev_classes > 0
    }
}

/// Whether a class or module name marks development or test configuration:
/// one of its words (split on CamelCase, `_`, `-`, `.` and digits) is `dev`,
/// `develop`, `development`, `local`, `test`, `tests` or `testing`, in any case
/// (`DevelopmentConfig`, `TestingConfig`, `LocalSettings`, `settings_dev`, but
/// not `DeviceApiConfig` or `LatestProductionConfig`).
pub fn is_development_name(name: &str) -> bool {
    name_words(name).any(|word| {
        [
            "dev",
            "develop",
            "development",
            "local",
            "test",
            "tests",
            "testing",
        ]
        .iter()
        .any(|marker| word.eq_ignore_ascii_case(marker))
    })
}

/// The words of an identifier: `HTTPDevConfig` → `HTTP`, `Dev`, `Config`;
/// `settings_dev2` → `settings`, `dev`.
fn name_words(name: &str) -> impl Iterator<Item = &str> {
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    for (i, &(offset, c)) in chars.iter().enumerate() {
        if !c.is_alphabetic() {
            if let Some(begin) = start.take() {
                words.push(&name[begin..offset]);
            }
            continue;
        }
        let previous = i.checked_sub(1).map(|j| chars[j].1);
        let next = chars.get(i + 1).map(|&(_, n)| n);
        let boundary = c.is_uppercase()
            && previous.is_some_and(|p| {
                p.is_lowercase() || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        match start {
            Some(begin) if boundary => {
                words.push(&name[begin..offset]);
                start = Some(offset);
            }
            Some(_) => {}
            None => start = Some(offset),
        }
    }
    if let Some(begin) = start {
        words.push(&name[begin..]);
    }
    words.into_iter()
}

/// The last segments of some dotted names (`subprocess.run` -> `run`): the
/// names a call must end with to possibly be one of them. Built once per table
/// (a `static` [`LazyLock`](std::sync::LazyLock)), looked up by hash instead of
/// comparing the callee with every entry.
#[derive(Debug, Default)]
pub struct CalleeNames(rustc_hash::FxHashSet<&'static str>);

impl CalleeNames {
    /// The last segments of every entry of `tables`.
    pub fn new(tables: &[&[&'static str]]) -> Self {
        Self(
            tables
                .iter()
                .flat_map(|table| table.iter())
                .map(|dotted| dotted.rsplit('.').next().unwrap_or(dotted))
                .collect(),
        )
    }

    /// Whether `name` is the last segment of one of the entries.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains(name)
    }
}

/// The first segment of a dotted name (`os` for `os.path`): a byte loop,
/// cheaper than a `split('.')` searcher on the short names of imports.
pub fn top_segment(dotted: &str) -> &str {
    match dotted.bytes().position(|b| b == b'.') {
        Some(end) => &dotted[..end],
        None => dotted,
    }
}

/// Whether the last dotted segment of `dotted` is `name` (`flask.redirect`,
/// `redirect`), without searching for the dot.
pub fn last_segment_is(dotted: &str, name: &str) -> bool {
    let (dotted, name) = (dotted.as_bytes(), name.as_bytes());
    // The last bytes first: most candidates differ there (cheaper than the
    // comparison of the whole tail).
    dotted.len() >= name.len()
        && dotted.last() == name.last()
        && dotted.ends_with(name)
        && (dotted.len() == name.len() || dotted[dotted.len() - name.len() - 1] == b'.')
}

/// Whether an `if` test checks for debug, testing or development mode, so that its
/// body only runs there: `if app.debug:`, `if app.config["TESTING"]:`,
/// `if os.environ.get("FLASK_ENV") == "development":`, `if DEBUG:`,
/// `if app.config.get("DEBUG") and x:`. Negations (`if not app.debug:`) are not guards.
pub fn is_development_guard(test: &Expr) -> bool {
    match test {
        Expr::BoolOp(op) => match op.op {
            ast::BoolOp::And => op.values.iter().any(is_development_guard),
            ast::BoolOp::Or => op.values.iter().all(is_development_guard),
        },
        Expr::UnaryOp(u) if u.op == UnaryOp::Not => false,
        // `"pytest" in sys.modules`: only true under a test run.
        Expr::Compare(cmp)
            if matches!(&*cmp.ops, [CmpOp::In])
                && matches!(&*cmp.left, Expr::StringLiteral(s) if matches!(s.value.to_str(), "pytest" | "unittest"))
                && matches!(&cmp.comparators[..], [Expr::Attribute(a)] if a.attr.as_str() == "modules") =>
        {
            true
        }
        Expr::Compare(cmp) => {
            let [op] = &*cmp.ops else { return false };
            let [right] = &*cmp.comparators else {
                return false;
            };
            let literal = |e: &Expr| match e {
                Expr::StringLiteral(s) => Some(s.value.to_str().to_ascii_lowercase()),
                Expr::BooleanLiteral(b) => Some(b.value.to_string()),
                Expr::NumberLiteral(_) => Some("1".to_owned()),
                _ => None,
            };
            let (value, other) = match (literal(&cmp.left), literal(right)) {
                (None, Some(v)) => (v, &*cmp.left),
                (Some(v), None) => (v, right),
                _ => return false,
            };
            let dev_value = ["dev", "local", "test", "true", "1"]
                .iter()
                .any(|m| value.contains(m));
            let mentions_mode = mentions_mode(other);
            match op {
                CmpOp::Eq | CmpOp::Is | CmpOp::In => dev_value && mentions_mode,
                CmpOp::NotEq | CmpOp::IsNot => value.contains("prod") && mentions_mode,
                _ => false,
            }
        }
        other => mentions_mode(other),
    }
}

/// Whether an expression reads a debug/testing/environment switch.
fn mentions_mode(expr: &Expr) -> bool {
    let is_switch = |name: &str| {
        let lower = name.to_ascii_lowercase();
        [
            "debug",
            "testing",
            "flask_env",
            "env",
            "environment",
            "development",
            "is_dev",
        ]
        .iter()
        .any(|m| {
            lower == *m
                || lower
                    .strip_suffix(m)
                    .is_some_and(|rest| rest.ends_with('_'))
                || lower
                    .strip_prefix(m)
                    .is_some_and(|rest| rest.starts_with('_'))
        }) || lower.contains("debug")
    };
    match expr {
        Expr::Name(n) => is_switch(&n.id),
        Expr::Attribute(a) => is_switch(a.attr.as_str()),
        Expr::Subscript(s) => match &*s.slice {
            Expr::StringLiteral(k) => is_switch(k.value.to_str()),
            _ => false,
        },
        Expr::Call(call) => {
            let key = call.arguments.args.first();
            match key {
                Some(Expr::StringLiteral(k)) => is_switch(k.value.to_str()),
                _ => mentions_mode(&call.func),
            }
        }
        _ => false,
    }
}

#[derive(Default)]
struct Collector<'a> {
    imports: HashMap<String, QualifiedName>,
    values: HashMap<&'a str, &'a Expr>,
    assignments: Vec<(&'a str, &'a ast::ExprCall)>,
    classes: Vec<&'a ast::StmtClassDef>,
    /// Functions defined anywhere in the module, first definition per name.
    functions: HashMap<&'a str, &'a ast::StmtFunctionDef>,
    /// Modules imported with `from module import *`.
    star_modules: Vec<&'a str>,
    /// Names passed to `x.from_object(name)` as a statement.
    from_object_names: Vec<&'a str>,
}

impl Collector<'_> {
    /// Binds the public names of star-imported known modules (`from flask
    /// import *` binds `Flask`, `request`, ...) unless an explicit import or
    /// another star import already bound them.
    fn bind_star_imports(&mut self) {
        for module in std::mem::take(&mut self.star_modules) {
            let Some((_, names)) = STAR_EXPORTS.iter().find(|(m, _)| *m == module) else {
                continue;
            };
            for name in *names {
                self.imports
                    .entry((*name).to_owned())
                    .or_insert_with(|| QualifiedName::from_segments([module, name]));
            }
        }
    }
}

/// The public names `from <module> import *` binds, for the modules the rules
/// know (Flask and the security extensions).
const STAR_EXPORTS: &[(&str, &[&str])] = &[
    (
        "flask",
        &[
            "Blueprint",
            "Config",
            "Flask",
            "Request",
            "Response",
            "abort",
            "after_this_request",
            "copy_current_request_context",
            "current_app",
            "flash",
            "g",
            "get_flashed_messages",
            "get_template_attribute",
            "has_app_context",
            "has_request_context",
            "json",
            "jsonify",
            "make_response",
            "redirect",
            "render_template",
            "render_template_string",
            "request",
            "send_file",
            "send_from_directory",
            "session",
            "stream_template",
            "stream_template_string",
            "stream_with_context",
            "url_for",
        ],
    ),
    ("flask_cors", &["CORS", "cross_origin"]),
    (
        "flask_talisman",
        &[
            "ALLOW_FROM",
            "DEFAULT_CSP_POLICY",
            "DENY",
            "GOOGLE_CSP_POLICY",
            "SAMEORIGIN",
            "Talisman",
        ],
    ),
    (
        "flask_limiter",
        &["ExemptionScope", "HEADERS", "Limiter", "RequestLimit"],
    ),
];

impl<'a> StatementVisitor<'a> for Collector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::ClassDef(class) => self.classes.push(class),
            Stmt::FunctionDef(def) => {
                self.functions.entry(def.name.as_str()).or_insert(def);
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let full = alias.name.as_str();
                    match &alias.asname {
                        Some(asname) => {
                            let target = QualifiedName::from_segments(full.split('.'));
                            self.imports.insert(asname.to_string(), target);
                        }
                        None => {
                            let head = top_segment(full);
                            self.imports
                                .insert(head.to_owned(), QualifiedName::from_segments([head]));
                        }
                    }
                }
            }
            Stmt::ImportFrom(import) => {
                // The module's name, built once for all the names imported.
                let dots = ".".repeat(import.level as usize);
                let module = QualifiedName::from_segments(
                    (import.level > 0)
                        .then_some(dots.as_str())
                        .into_iter()
                        .chain(import.module.iter().flat_map(|m| m.as_str().split('.'))),
                );
                for alias in &import.names {
                    if alias.name.as_str() == "*" {
                        if import.level == 0
                            && let Some(m) = &import.module
                        {
                            self.star_modules.push(m.as_str());
                        }
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).to_string();
                    let target = module.joined(alias.name.as_str());
                    self.imports.insert(bound, target);
                }
            }
            Stmt::Assign(assign) => {
                if let [Expr::Name(target)] = &*assign.targets {
                    self.values.insert(target.id.as_str(), &assign.value);
                    if let Expr::Call(call) = &*assign.value {
                        self.assignments.push((target.id.as_str(), call));
                    }
                }
            }
            Stmt::AnnAssign(assign) => {
                if let (Expr::Name(target), Some(value)) =
                    (&*assign.target, assign.value.as_deref())
                {
                    self.values.insert(target.id.as_str(), value);
                    if let Expr::Call(call) = value {
                        self.assignments.push((target.id.as_str(), call));
                    }
                }
            }
            Stmt::Expr(expr) => {
                if let Expr::Call(call) = &*expr.value
                    && let Expr::Attribute(method) = &*call.func
                    && method.attr.as_str() == "from_object"
                    && let Some(Expr::Name(name)) = call.arguments.args.first()
                {
                    self.from_object_names.push(name.id.as_str());
                }
            }
            _ => {}
        }
        walk_stmt(self, stmt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_joined_name_equals_one_built_from_all_segments() {
        for segments in [
            &[][..],
            &["."],
            &["..", "pkg"],
            &["flask"],
            &["a", "b", "c"],
        ] {
            let joined = QualifiedName::from_segments(segments.iter().copied()).joined("name");
            let whole = QualifiedName::from_segments(segments.iter().copied().chain(["name"]));
            assert_eq!(joined, whole, "{segments:?}");
            assert_eq!(joined.last(), "name");
        }
    }

    #[test]
    fn top_segment_is_the_first_dotted_segment() {
        for (dotted, top) in [
            ("os.path", "os"),
            ("os", "os"),
            ("", ""),
            (".x", ""),
            ("a.b.c", "a"),
        ] {
            assert_eq!(
                top_segment(dotted),
                dotted.split('.').next().unwrap(),
                "{dotted}"
            );
            assert_eq!(top_segment(dotted), top);
        }
    }
    use crate::analysis::parse::parse_python;

    fn resolve(src: &str, expr: &str) -> Option<String> {
        let module = parse_python(&format!("{src}\n{expr}\n"));
        let model = SemanticModel::new(module.suite());
        let Stmt::Expr(last) = module.suite().last().unwrap() else {
            panic!()
        };
        model
            .resolve_qualified_name(&last.value)
            .map(|q| q.dotted())
    }

    #[test]
    fn remembered_resolution_follows_the_expression_asked_about() {
        let module =
            parse_python("import os\nimport flask as f\nf.Flask\nos.getenv\nlen\nunknown\n");
        let model = SemanticModel::new(module.suite());
        let exprs: Vec<&Expr> = module
            .suite()
            .iter()
            .filter_map(|stmt| match stmt {
                Stmt::Expr(e) => Some(&*e.value),
                _ => None,
            })
            .collect();
        let [flask, getenv, len, unknown] = exprs[..] else {
            panic!("four expressions")
        };
        for _ in 0..2 {
            assert!(model.resolves_to(flask, &["flask.Flask"]));
            assert!(!model.resolves_to(getenv, &["flask.Flask"]));
            assert!(model.resolves_to(getenv, &["os.getenv"]));
            assert!(!model.resolves_to(flask, &["os.getenv"]));
            assert!(model.resolves_to(len, &["builtins.len"]));
            assert!(!model.resolves_to(unknown, &["builtins.unknown", "unknown"]));
            assert_eq!(
                model.resolve_qualified_name(getenv).unwrap().last(),
                "getenv"
            );
            assert_eq!(
                model.resolve_qualified_name(len).unwrap().dotted(),
                "builtins.len"
            );
        }
    }

    #[test]
    fn resolves_imports_and_aliases() {
        assert_eq!(
            resolve("import flask", "flask.Flask").as_deref(),
            Some("flask.Flask")
        );
        assert_eq!(
            resolve("from flask_cors import CORS as Cors", "Cors(app)").as_deref(),
            Some("flask_cors.CORS")
        );
        assert_eq!(
            resolve("import flask_cors as fc", "fc.CORS").as_deref(),
            Some("flask_cors.CORS")
        );
        assert_eq!(
            resolve("import os.path", "os.path.join").as_deref(),
            Some("os.path.join")
        );
        assert_eq!(
            resolve("from .extensions import cors", "cors.init_app").as_deref(),
            Some("..extensions.cors.init_app")
        );
        assert_eq!(resolve("", "open").as_deref(), Some("builtins.open"));
        assert_eq!(resolve("", "app.run"), None);
        // Star imports of known modules bind their public names; explicit
        // imports win, unknown modules bind nothing.
        assert_eq!(
            resolve("from flask import *", "request.args").as_deref(),
            Some("flask.request.args")
        );
        assert_eq!(
            resolve("from flask_cors import *", "CORS(app)").as_deref(),
            Some("flask_cors.CORS")
        );
        assert_eq!(
            resolve("from flask import *\nfrom quart import Flask", "Flask").as_deref(),
            Some("quart.Flask")
        );
        assert_eq!(resolve("from mylib import *", "Flask"), None);
        // Imports inside functions count too.
        assert_eq!(
            resolve("def f():\n    from flask import Flask as F", "F").as_deref(),
            Some("flask.Flask")
        );
    }

    #[test]
    fn qualified_names_keep_their_segments() {
        let relative = QualifiedName::from_segments([".", "extensions", "cors"]);
        assert_eq!(relative.as_str(), "..extensions.cors");
        assert_eq!(
            relative.segments().collect::<Vec<_>>(),
            [".", "extensions", "cors"]
        );
        assert!(relative.is(&[".", "extensions", "cors"]));
        assert!(!relative.is(&["", "", "extensions", "cors"]));
        assert_eq!(relative.last(), "cors");
        let single = QualifiedName::from_segments([".."]);
        assert_eq!(single.segments().collect::<Vec<_>>(), [".."]);
        assert_eq!(single.last(), "..");
        let flask = QualifiedName::from_segments("flask.Flask".split('.'));
        assert!(flask.is(&["flask", "Flask"]));
        assert!(flask.is_any(&["flask.current_app", "flask.Flask"]));
        assert!(!flask.is_any(&["flask.Flas", "flask.Flask.x"]));
        assert_eq!(flask.last(), "Flask");
        assert_eq!(flask.to_string(), "flask.Flask");
        assert_eq!(QualifiedName::default().segments().count(), 0);
    }

    #[test]
    fn resolves_to_agrees_with_resolving() {
        let src = "import flask\nimport flask_cors as fc\nfrom .ext import cors\n\
                   from flask import Flask as F\nimport os.path\n";
        let exprs = [
            "flask.Flask",
            "fc.CORS",
            "cors.init_app",
            "F(__name__)",
            "os.path.join",
            "os.path",
            "open",
            "eval(x)",
            "app.run",
            "flask",
        ];
        let names = [
            "flask.Flask",
            "flask_cors.CORS",
            "..ext.cors.init_app",
            ".ext.cors.init_app",
            "os.path.join",
            "os.path",
            "os",
            "builtins.open",
            "builtins.eval",
            "builtins",
            "flask",
            "",
        ];
        for expr in exprs {
            let module = parse_python(&format!("{src}{expr}\n"));
            let model = SemanticModel::new(module.suite());
            let Stmt::Expr(last) = module.suite().last().unwrap() else {
                panic!()
            };
            let resolved = model.resolve_qualified_name(&last.value);
            for name in names {
                assert_eq!(
                    model.resolves_to(&last.value, &[name]),
                    resolved.as_ref().is_some_and(|q| q.is_any(&[name])),
                    "{expr} vs {name}"
                );
            }
        }
    }

    #[test]
    fn binds_flask_instances() {
        let module = parse_python(
            "from flask import Flask\napp = Flask(__name__)\nweb = Flask('x')\nimport app as pkg\n",
        );
        let model = SemanticModel::new(module.suite());
        let name = |id: &str| {
            Expr::Name(ast::ExprName {
                node_index: ast::AtomicNodeIndex::NONE,
                range: ruff_text_size::TextRange::default(),
                id: id.into(),
                ctx: ast::ExprContext::Load,
            })
        };
        assert!(model.is_flask_app(&name("web")));
        assert!(model.is_flask_app(&name("app")));
        assert!(!model.is_flask_app(&name("pkg")));
    }

    #[test]
    fn development_names() {
        for name in [
            "DevelopmentConfig",
            "TestingConfig",
            "LocalSettings",
            "settings_dev",
            "development",
            "dev",
            "local",
            "testing",
            "DEVConfig",
            "Dev2Config",
            "ConfigForTests",
            "test_config",
            "DevelopSettings",
        ] {
            assert!(is_development_name(name), "{name}");
        }
        for name in [
            "ProductionConfig",
            "Config",
            "De",
            "tes",
            "",
            "DeviceApiConfig",
            "LatestProductionConfig",
            "LocaleConfig",
            "Developer",
            "Contest",
            "DÉV_délocal",
        ] {
            assert!(!is_development_name(name), "{name}");
        }
    }

    #[test]
    fn development_guards() {
        let guard = |src: &str| {
            let module = parse_python(&format!("if {src}:\n    pass\n"));
            let Stmt::If(stmt) = &module.suite()[0] else {
                panic!()
            };
            is_development_guard(&stmt.test)
        };
        assert!(guard("app.debug"));
        assert!(guard("app.config['TESTING']"));
        assert!(guard("os.environ.get('FLASK_ENV') == 'development'"));
        assert!(guard("app.config.get('DEBUG') and x"));
        assert!(guard("DEBUG"));
        assert!(!guard("not app.debug"));
        assert!(!guard("os.environ.get('FLASK_ENV') == 'production'"));
        assert!(!guard("user.is_admin"));
    }
}
