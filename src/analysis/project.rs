//! The project-level model: facts each module contributes while it is walked
//! ([`ModuleFacts`]: Flask applications created, configuration keys set anywhere,
//! extensions constructed and applied, `init_app` calls, headers set by
//! `after_request` functions, CORS set-ups without origins), merged after the
//! parallel phase into a [`ProjectModel`] so that FH108, FH201, FH202 and FH203
//! see across modules (the extensions pattern: `talisman = Talisman()` in
//! extensions.py, `talisman.init_app(app)` in the factory).

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap as HashMap;

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::app_fixes::{AppFacts, AppPlace, ExtensionSlots, app_facts, extension_slots};
use super::autofix::ArgumentsEnd;
use super::codes::Rule;
use super::config_values::{ConfigSetting, MappingLoad, mapping_load};
use super::context::ModuleContext;
use super::diagnostic::Edit;
use super::discovery::TextFileKind;
use super::headers::{header_writes_in_call, header_writes_in_dict, header_writes_in_stmt};
use super::imports::{ensure_import, is_standard_library};
use super::semantic::{CalleeNames, top_segment};
use super::source::SourceFile;

/// A Flask extension the project rules care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Extension {
    /// flask_talisman.Talisman
    Talisman,
    /// flask_limiter.Limiter
    Limiter,
    /// flask_cors.CORS
    Cors,
    /// flask_debugtoolbar.DebugToolbarExtension
    DebugToolbar,
}

impl Extension {
    /// The callees that construct each extension.
    const CALLEES: &[(&str, Self)] = &[
        ("flask_talisman.Talisman", Self::Talisman),
        ("flask_talisman.talisman.Talisman", Self::Talisman),
        ("flask_limiter.Limiter", Self::Limiter),
        ("flask_limiter.extension.Limiter", Self::Limiter),
        ("flask_cors.CORS", Self::Cors),
        ("flask_cors.extension.CORS", Self::Cors),
        (
            "flask_debugtoolbar.DebugToolbarExtension",
            Self::DebugToolbar,
        ),
    ];

    /// The extension a resolved callee constructs.
    pub fn from_callee(dotted: &str) -> Option<Self> {
        Self::CALLEES
            .iter()
            .find(|(callee, _)| *callee == dotted)
            .map(|(_, extension)| *extension)
    }
}

/// The last segments of [`FLASK_CLASSES`] and [`Extension::CALLEES`]: a call
/// whose callee ends otherwise constructs neither.
static COLLECTED: std::sync::LazyLock<CalleeNames> = std::sync::LazyLock::new(|| {
    let extensions: Vec<&'static str> = Extension::CALLEES
        .iter()
        .map(|(callee, _)| *callee)
        .collect();
    CalleeNames::new(&[FLASK_CLASSES, &extensions])
});

/// The application classes whose instantiation creates a Flask application.
pub const FLASK_CLASSES: &[&str] = &["flask.Flask", "flask.app.Flask", "apiflask.APIFlask"];

/// Where a Flask application is created, with what the remediations that
/// go there need to know (see [`AppFacts`]).
#[derive(Debug, Clone)]
pub struct AppSite {
    /// The `Flask(...)` call.
    pub range: TextRange,
    /// Start of the statement that creates it (for suppressions).
    pub statement: TextSize,
    /// The app's name, where code goes once it is complete, the module's
    /// imports, and the FH202/FH203 remediations of enabled rules.
    pub facts: AppFacts,
}

/// A CORS set-up with no `origins`/`resources` given (flask-cors then allows `*`)
/// unless the configuration sets `CORS_ORIGINS`/`CORS_RESOURCES`.
#[derive(Debug, Clone)]
pub struct CorsCandidate {
    /// The call to report.
    pub range: TextRange,
    /// For `x.init_app(app)`: the receiver name, which must be a `CORS()`
    /// instance without origins somewhere in the project.
    pub receiver: Option<String>,
    /// Whether `supports_credentials=True` was given.
    pub credentials: bool,
    /// Start of the statement (for suppressions on its first line).
    pub statement: ruff_text_size::TextSize,
    /// Where FH201's fix goes; `None` when FH201 is disabled for the module
    /// (its findings there are dropped).
    pub fix_places: Option<CorsFixPlaces>,
}

/// Where FH201's fix for a [`CorsCandidate`] goes (the rule builds the fix).
#[derive(Debug, Clone)]
pub struct CorsFixPlaces {
    /// The end of the call's arguments, where `origins=` is appended.
    pub origins: ArgumentsEnd,
    /// The edit importing `os`, when the module does not import it under its
    /// own name.
    pub os_import: Option<Edit>,
}

/// What one module contributes to the project model.
#[derive(Debug, Clone, Default)]
pub struct ModuleFacts {
    /// The file, as discovery names it (set by the engine).
    pub path: std::path::PathBuf,
    /// Its path relative to the project root, `/`-separated (set by the engine).
    pub relative: String,
    /// Module-level extension instances, and the edits adding Talisman and
    /// Limiter ones (the extensions pattern).
    pub extension_slots: Option<ExtensionSlots>,
    /// Flask applications created here (none for test code).
    pub apps: Vec<AppSite>,
    /// Every configuration key set here, in any form (`MAX_CONTENT_LENGTH`).
    pub config_keys: BTreeSet<String>,
    /// Whether a configuration load here passes a mapping the analysis cannot
    /// resolve (`app.config.from_mapping(settings.flask_config())`): it may set any key.
    pub opaque_config_load: bool,
    /// Extensions constructed with an application (`Talisman(app)`).
    pub applied: BTreeSet<Extension>,
    /// Names bound to extension instances constructed without an application
    /// (`talisman = Talisman()`), with whether CORS instances got origins.
    pub instances: BTreeMap<String, (Extension, bool)>,
    /// Receiver names of `x.init_app(...)` calls (last segment: `ext.talisman` → `talisman`).
    pub init_app_receivers: BTreeSet<String>,
    /// Names of functions registered as `after_request` handlers.
    pub after_request_functions: BTreeSet<String>,
    /// Header names (lower case) set inside each function, by function name.
    pub headers_by_function: BTreeMap<String, BTreeSet<String>>,
    /// CORS set-ups without origins.
    pub cors_candidates: Vec<CorsCandidate>,
    /// Every `from module import name [as local]` (any level, anywhere): what
    /// the engine resolves through other modules' re-exports.
    pub from_imports: Vec<FromImport>,
    /// Module-level `from package import name [as local]` of absolute modules:
    /// local name -> dotted origin (what this module re-exports).
    pub reexports: BTreeMap<String, String>,
    /// Line of a module-level `import flask_debugtoolbar` / `from
    /// flask_debugtoolbar import ...` outside a debug guard and `try` (which
    /// fails in production once the toolbar is a development dependency).
    pub toolbar_import: Option<usize>,
    /// Whether a function here is decorated with a rate-limit decorator other
    /// than Flask-Limiter's (`@rate_limit(...)`, `@throttle`, the `ratelimit`
    /// package's `@limits`): the project limits its own views.
    pub custom_rate_limit: bool,
    /// Views that read uploaded files (`request.files`): 1; views that import,
    /// back up or restore data from them: 2 (FH108 chooses its limit by it).
    pub upload_views: u8,
    /// Secret settings checked at start-up here (`if not app.config.get("SECRET_KEY"):`).
    pub secret_checks: BTreeSet<String>,
    /// What FH701 needs: guarded views, guard hooks and decorators, unguarded
    /// state-changing views.
    pub authorization: AuthFacts,
    /// What the request-data flow of this module tells the others: calls with
    /// request data to imported names, its plain top-level functions and what
    /// they return.
    pub flow: super::request_data::FlowExports,
}

/// What one module says about authentication (collected by FH701).
#[derive(Debug, Clone, Default)]
pub struct AuthFacts {
    /// Views with a guard (decorator, class decorators, body check or a
    /// blueprint hook).
    pub guarded_views: usize,
    /// The name of a guard seen on a view (for the message).
    pub guard_example: Option<String>,
    /// A `before_request` of the application (or `before_app_request`) that
    /// checks identity and refuses the request.
    pub app_guard: bool,
    /// Blueprint names whose `before_request` checks identity.
    pub guarded_blueprints: BTreeSet<String>,
    /// Functions defined here that work as guard decorators (their body checks identity).
    pub guard_decorators: BTreeSet<String>,
    /// State-changing views with no guard found in this module.
    pub candidates: Vec<Candidate>,
    /// The module's hook and class-view registrations, recorded by FH701's
    /// call hook during the walk and read (then emptied) when the facts
    /// above are completed after it.
    pub registrations: Registrations,
}

/// Calls that register `before_request` hooks and class-based views.
#[derive(Debug, Clone, Default)]
pub struct Registrations {
    /// `x.before_request(f)` / `x.before_app_request(f)`: (receiver, app-wide, function).
    pub hook_calls: Vec<(String, bool, String)>,
    /// `x.add_url_rule(..., view_func=Cls.as_view(...))`: (class, receiver).
    pub class_routes: Vec<(String, String)>,
    /// `x.before_request(login_required(...))`: (receiver, app-wide).
    pub guard_hooks: Vec<(String, bool)>,
    /// Classes registered as `view_func=login_required(Cls.as_view(...))`: (guard, class).
    pub guarded_classes: BTreeSet<(String, String)>,
}

/// A state-changing view with no guard of its own.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The view's name (for the report).
    pub range: TextRange,
    /// Start of the `def` statement (decorators included), for suppressions.
    pub statement: TextSize,
    /// The view function (`Class.post` for class-based views).
    pub name: String,
    /// The state-changing methods, e.g. `POST, DELETE`.
    pub methods: String,
    /// The blueprint or application the route is registered on.
    pub receiver: Option<String>,
    /// Its other decorators' names (project decorators resolve later).
    pub decorators: Vec<String>,
}

/// One imported name of a `from ... import ...` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromImport {
    /// The name it is bound to here.
    pub local: String,
    /// Leading dots (0: absolute).
    pub level: u32,
    /// The module, without the dots.
    pub module: String,
    /// The imported name.
    pub name: String,
}

/// The merged facts of every module of one project.
#[derive(Debug, Default)]
pub struct ProjectModel<'a> {
    /// (file index, facts) for every analysed module.
    pub modules: Vec<(usize, &'a ModuleFacts)>,
    /// The modules by path, built when first needed (see [`index`](Self::index)).
    index: std::cell::OnceCell<ModuleIndex<'a>>,
}

impl<'a> ProjectModel<'a> {
    /// The model of these modules.
    pub fn new(modules: Vec<(usize, &'a ModuleFacts)>) -> Self {
        Self {
            modules,
            index: std::cell::OnceCell::new(),
        }
    }

    /// Every application site with its file index.
    pub fn apps(&self) -> impl Iterator<Item = (usize, &'a AppSite)> + '_ {
        self.modules
            .iter()
            .flat_map(|(i, f)| f.apps.iter().map(move |a| (*i, a)))
    }

    fn facts(&self, file: usize) -> Option<&'a ModuleFacts> {
        self.modules
            .iter()
            .find(|(i, _)| *i == file)
            .map(|(_, f)| *f)
    }

    /// The module an import names, seen from module `file`: `level` leading
    /// dots (0: absolute) and the dotted `module`.
    pub(crate) fn resolve_module(
        &self,
        file: usize,
        level: u32,
        module: &str,
    ) -> Option<&'a ModuleFacts> {
        self.index()
            .resolve(&self.facts(file)?.relative, level, module)
    }

    /// An index of the modules by path, for many lookups (built once).
    pub(crate) fn index(&self) -> &ModuleIndex<'a> {
        self.index.get_or_init(|| {
            ModuleIndex::new(self.modules.iter().map(|(_, f)| (f.relative.as_str(), *f)))
        })
    }

    /// Whether any module sets configuration key `key`.
    pub fn has_config_key(&self, key: &str) -> bool {
        self.modules
            .iter()
            .any(|(_, f)| f.config_keys.contains(key))
    }

    /// Whether any module loads configuration from a mapping that cannot be
    /// resolved (a call result, a parameter), which may set any key.
    pub fn has_opaque_config_load(&self) -> bool {
        self.modules.iter().any(|(_, f)| f.opaque_config_load)
    }

    /// Whether `extension` is applied to an application anywhere: constructed
    /// with the app, or an instance of it gets `init_app(...)`.
    pub fn is_applied(&self, extension: Extension) -> bool {
        if self
            .modules
            .iter()
            .any(|(_, f)| f.applied.contains(&extension))
        {
            return true;
        }
        let instance_names: BTreeSet<&str> = self
            .modules
            .iter()
            .flat_map(|(_, f)| f.instances.iter())
            .filter(|(_, (ext, _))| *ext == extension)
            .map(|(name, _)| name.as_str())
            .collect();
        self.modules
            .iter()
            .flat_map(|(_, f)| f.init_app_receivers.iter())
            .any(|r| instance_names.contains(r.as_str()))
    }

    /// FH108's limit for the project: 0 (16 MiB) without upload views, 1
    /// (100 MiB) with views reading `request.files`, 2 (512 MiB) with views
    /// importing, backing up or restoring data.
    pub fn body_limit(&self) -> usize {
        usize::from(
            self.modules
                .iter()
                .map(|(_, f)| f.upload_views)
                .max()
                .unwrap_or(0)
                .min(2),
        )
    }

    /// Header names (lower case) that `after_request` handlers set.
    pub fn after_request_headers(&self) -> BTreeSet<&'a str> {
        let registered: BTreeSet<&str> = self
            .modules
            .iter()
            .flat_map(|(_, f)| f.after_request_functions.iter().map(String::as_str))
            .collect();
        self.modules
            .iter()
            .flat_map(|(_, f)| f.headers_by_function.iter())
            .filter(|(name, _)| registered.contains(name.as_str()))
            .flat_map(|(_, headers)| headers.iter().map(String::as_str))
            .collect()
    }

    /// A module of the project that imports the debug toolbar unconditionally
    /// at import time: its relative path and line.
    pub fn toolbar_import(&self) -> Option<(String, usize)> {
        self.modules
            .iter()
            .find_map(|(_, f)| f.toolbar_import.map(|line| (f.relative.clone(), line)))
    }

    /// Whether a CORS instance named `name` was constructed without origins.
    pub fn cors_instance_without_origins(&self, name: &str) -> bool {
        self.modules
            .iter()
            .filter_map(|(_, f)| f.instances.get(name))
            .any(|(ext, has_origins)| *ext == Extension::Cors && !has_origins)
    }
}

/// The modules of a project by relative path (see [`ProjectModel::index`]),
/// each with a value: its facts, or the engine's file index.
#[derive(Debug)]
pub(crate) struct ModuleIndex<'a, T = &'a ModuleFacts> {
    by_path: HashMap<&'a str, T>,
    /// Tail of a path -> (the whole path, value).
    by_suffix: HashMap<&'a str, (&'a str, T)>,
}

impl<'a, T: Copy> ModuleIndex<'a, T> {
    /// Indexes `(relative path, value)` pairs.
    pub(crate) fn new(modules: impl Iterator<Item = (&'a str, T)> + Clone) -> Self {
        let by_path: HashMap<&'a str, T> = modules.clone().collect();
        // The folders that are packages (hold an `__init__.py`).
        let packages: rustc_hash::FxHashSet<&'a str> = by_path
            .keys()
            .filter_map(|path| path.strip_suffix("/__init__.py"))
            .collect();
        let mut by_suffix: HashMap<&'a str, (&'a str, T)> = HashMap::default();
        for (path, value) in modules {
            // The whole path, and every tail after a `/` whose folder is not a
            // package itself (`src/pkg/mod.py` is `pkg.mod`, but
            // `pkg/utils/sqlalchemy.py` is never the top-level `sqlalchemy`);
            // a shorter path (nearer the root) wins a shared tail.
            let tails = std::iter::once(path).chain(
                path.match_indices('/')
                    .filter(|(i, _)| !packages.contains(&path[..*i]))
                    .map(|(i, _)| &path[i + 1..]),
            );
            for tail in tails {
                by_suffix
                    .entry(tail)
                    .and_modify(|known| {
                        if path.len() < known.0.len() {
                            *known = (path, value);
                        }
                    })
                    .or_insert((path, value));
            }
        }
        ModuleIndex { by_path, by_suffix }
    }

    /// The module `from <dots><module> import ...` names in the module at
    /// relative path `from`: relative imports from its folder, absolute ones
    /// by path anywhere in the project (`pkg/mod.py`, `src/pkg/mod.py`).
    pub(crate) fn resolve(&self, from: &str, level: u32, module: &str) -> Option<T> {
        let table: fn(&Self, &str) -> Option<T> = if level == 0 {
            |index, path| index.by_suffix.get(path).map(|(_, value)| *value)
        } else {
            |index, path| index.by_path.get(path).copied()
        };
        first_import_candidate(from, level, module, |path| table(self, path))
    }

    /// Whether a module has relative path `path`.
    pub(crate) fn contains_path(&self, path: &str) -> bool {
        self.by_path.contains_key(path)
    }

    /// The dotted names an absolute import resolves to the module at `path`
    /// (`value`) with (`pkg.db` for `src/pkg/db.py`; `pkg` for
    /// `pkg/__init__.py`).
    pub(crate) fn absolute_names(&self, path: &'a str, value: T) -> Vec<String>
    where
        T: PartialEq,
    {
        let tails =
            std::iter::once(path).chain(path.match_indices('/').map(|(i, _)| &path[i + 1..]));
        let mut names: Vec<String> = tails
            .filter(|tail| self.by_suffix.get(tail).is_some_and(|(_, v)| *v == value))
            .filter_map(|tail| {
                let module = tail
                    .strip_suffix("/__init__.py")
                    .or_else(|| tail.strip_suffix(".py"))?;
                Some(module.replace('/', "."))
            })
            .filter(|dotted| self.resolve("", 0, dotted).is_some_and(|v| v == value))
            .collect();
        names.sort();
        names
    }
}

/// The two files `from <dots><module> import ...` in the module at relative
/// path `from` can name, in the order they are tried (`module.py`, then
/// `module/__init__.py`): tails of a path for an absolute import (`level`
/// 0), paths from the project root for a relative one; `None` when the dots
/// climb above the root.
pub(crate) fn import_candidates(from: &str, level: u32, module: &str) -> Option<[String; 2]> {
    let mut found: Vec<String> = Vec::with_capacity(2);
    first_import_candidate(from, level, module, |path| {
        found.push(path.to_owned());
        None::<()>
    });
    let [first, second]: [String; 2] = found.try_into().ok()?;
    Some([first, second])
}

/// Calls `f` with each of the [`import_candidates`] in turn (built in one
/// buffer, without allocating per candidate) until it returns a value.
fn first_import_candidate<T>(
    from: &str,
    level: u32,
    module: &str,
    mut f: impl FnMut(&str) -> Option<T>,
) -> Option<T> {
    // The folder the dots name: the module's own for one dot, its parent
    // for two...; `None` when they climb above the root.
    let mut base = "";
    if level > 0 {
        let mut dir = from.rfind('/').map(|i| &from[..i]);
        for _ in 1..level {
            let folder = dir?;
            dir = folder.rfind('/').map(|i| &folder[..i]);
        }
        base = dir.unwrap_or("");
    }
    let mut path = String::with_capacity(base.len() + module.len() + 13);
    if !base.is_empty() {
        path.push_str(base);
        path.push('/');
    }
    path.extend(module.chars().map(|c| if c == '.' { '/' } else { c }));
    let stem = path.len();
    path.push_str(".py");
    if let Some(found) = f(&path) {
        return Some(found);
    }
    path.truncate(stem);
    if !module.is_empty() {
        path.push('/');
    }
    path.push_str("__init__.py");
    f(&path)
}

fn is_wildcard_text(text: &str) -> bool {
    matches!(text.trim(), "*" | ".*" | "^.*$" | ".*$" | "^.*")
}

/// Whether an `origins` value allows every origin.
pub fn is_wildcard(expr: &Expr) -> bool {
    match expr {
        Expr::StringLiteral(s) => is_wildcard_text(s.value.to_str()),
        Expr::List(l) => l.elts.iter().any(is_wildcard),
        Expr::Tuple(t) => t.elts.iter().any(is_wildcard),
        Expr::Set(s) => s.elts.iter().any(is_wildcard),
        _ => false,
    }
}

/// Whether a call passes CORS origins: `origins=`, or `resources=` as a dict
/// whose every entry sets `"origins"` (a path or list of paths keeps `*`).
pub fn has_cors_origins(arguments: &ast::Arguments) -> bool {
    if arguments.find_keyword("origins").is_some() {
        return true;
    }
    let Some(resources) = arguments.find_keyword("resources") else {
        return false;
    };
    match &resources.value {
        Expr::Dict(dict) => dict.items.iter().all(|item| match &item.value {
            Expr::Dict(options) => options.items.iter().any(
                |o| matches!(&o.key, Some(Expr::StringLiteral(k)) if k.value.to_str() == "origins"),
            ),
            _ => false,
        }),
        Expr::StringLiteral(_) | Expr::List(_) | Expr::Tuple(_) => false,
        // A variable: assume it is a full resources mapping.
        _ => true,
    }
}

fn has_app_argument(ctx: ModuleContext<'_>, arguments: &ast::Arguments) -> bool {
    arguments.find_keyword("app").is_some()
        || arguments
            .args
            .iter()
            .any(|a| ctx.semantic().is_flask_app(a))
}

/// A wildcard `CORS_ORIGINS` does not configure origins (FH201 reports it).
fn counts_as_configured(setting: &ConfigSetting) -> bool {
    !(setting.key == "CORS_ORIGINS" && is_wildcard(setting.value))
}

/// Records the configuration keys a statement or call sets.
pub(crate) fn collect_settings(facts: &mut ModuleFacts, settings: &[ConfigSetting]) {
    let keys = settings
        .iter()
        .filter(|s| counts_as_configured(s))
        .map(|s| s.key.to_owned());
    facts.config_keys.extend(keys);
}

/// Records header names written inside the current function (for
/// `after_request` handlers).
fn record_headers<'h>(
    ctx: ModuleContext<'_>,
    facts: &mut ModuleFacts,
    names: impl Iterator<Item = &'h str>,
) {
    let mut names = names.peekable();
    if names.peek().is_none() {
        return;
    }
    let Some(function) = ctx.semantic().current_function() else {
        return;
    };
    let function = function.name.to_string();
    facts
        .headers_by_function
        .entry(function)
        .or_default()
        .extend(names.map(str::to_ascii_lowercase));
}

/// Whether names from `module` matter to the rules when another module of the
/// project re-exports them (Flask and its extensions, and the packages whose
/// calls the rules follow); other re-exports are not tracked, which keeps the
/// engine's second look to the files that need it.
fn reexport_matters(module: &str) -> bool {
    let top = top_segment(module);
    top.starts_with("flask")
        || matches!(
            top,
            "werkzeug"
                | "apiflask"
                | "jinja2"
                | "markupsafe"
                | "jwt"
                | "subprocess"
                | "os"
                | "pickle"
                | "marshal"
                | "shelve"
                | "yaml"
                | "requests"
                | "httpx"
                | "urllib"
                | "urllib3"
                | "sqlite3"
                | "sqlalchemy"
        )
}

/// Records the names a `from ... import ...` binds (for re-exports).
fn collect_from_import(
    ctx: ModuleContext<'_>,
    facts: &mut ModuleFacts,
    from: &ast::StmtImportFrom,
) {
    let module = from.module.as_deref().unwrap_or("").to_owned();
    let module_level = ctx.semantic().statements.len() <= 1;
    for alias in &from.names {
        if alias.name.as_str() == "*" {
            continue;
        }
        let local = alias.asname.as_ref().unwrap_or(&alias.name).to_string();
        if module_level && from.level == 0 && reexport_matters(&module) {
            facts
                .reexports
                .insert(local.clone(), format!("{module}.{}", alias.name));
        }
        // Packages (the standard library, Flask and the others the rules know)
        // are never modules of the project: nothing to resolve through them.
        let top = top_segment(&module);
        if from.level == 0 && (reexport_matters(&module) || is_standard_library(top)) {
            continue;
        }
        facts.from_imports.push(FromImport {
            local,
            level: from.level,
            module: module.clone(),
            name: alias.name.to_string(),
        });
    }
}

/// The keys of a module-level dict of header names that a loop writes into a
/// response: `for name, value in HEADERS.items(): response.headers[name] = value`
/// (or `.set(name, value)` / `.setdefault` / `.add`).
fn headers_from_mapping_loop<'a>(ctx: ModuleContext<'a>, stmt: &'a Stmt) -> Vec<&'a str> {
    let Stmt::For(for_stmt) = stmt else {
        return Vec::new();
    };
    let Expr::Tuple(target) = &*for_stmt.target else {
        return Vec::new();
    };
    let [Expr::Name(key), _] = &*target.elts else {
        return Vec::new();
    };
    let Expr::Call(items) = &*for_stmt.iter else {
        return Vec::new();
    };
    let Expr::Attribute(method) = &*items.func else {
        return Vec::new();
    };
    let Expr::Name(mapping) = &*method.value else {
        return Vec::new();
    };
    if method.attr.as_str() != "items" {
        return Vec::new();
    }
    let Some(Expr::Dict(dict)) = ctx.semantic().assigned_value(&mapping.id) else {
        return Vec::new();
    };
    let is_key = |e: &Expr| matches!(e, Expr::Name(n) if n.id == key.id);
    let writes = for_stmt.body.iter().any(|s| match s {
        Stmt::Assign(assign) => assign.targets.iter().any(|t| {
            matches!(t, Expr::Subscript(sub) if is_key(&sub.slice) && matches!(&*sub.value, Expr::Attribute(a) if a.attr.as_str() == "headers"))
        }),
        Stmt::Expr(expr) => matches!(&*expr.value, Expr::Call(call)
            if matches!(&*call.func, Expr::Attribute(a)
                if matches!(a.attr.as_str(), "set" | "add" | "setdefault")
                    && matches!(&*a.value, Expr::Attribute(h) if h.attr.as_str() == "headers"))
                && call.arguments.find_positional(0).is_some_and(is_key)),
        _ => false,
    });
    if !writes {
        return Vec::new();
    }
    dict.items
        .iter()
        .filter_map(|item| match &item.key {
            Some(Expr::StringLiteral(name)) => Some(name.value.to_str()),
            _ => None,
        })
        .collect()
}

/// Records statement-level facts: header writes, after_request handlers,
/// unguarded imports of the debug toolbar.
pub(crate) fn collect_stmt(ctx: ModuleContext<'_>, facts: &mut ModuleFacts, stmt: &Stmt) {
    if let Stmt::ImportFrom(from) = stmt {
        collect_from_import(ctx, facts, from);
    }
    let imports_toolbar = match stmt {
        Stmt::Import(import) => import
            .names
            .iter()
            .any(|a| a.name.as_str().split('.').next() == Some("flask_debugtoolbar")),
        Stmt::ImportFrom(from) => {
            from.level == 0
                && from
                    .module
                    .as_deref()
                    .is_some_and(|m| m.split('.').next() == Some("flask_debugtoolbar"))
        }
        _ => false,
    };
    if imports_toolbar
        && !ctx.file().is_test
        && facts.toolbar_import.is_none()
        && ctx.semantic().current_function().is_none()
        && !ctx.semantic().in_development_guard()
        && !ctx
            .semantic()
            .statements
            .iter()
            .any(|s| matches!(s, Stmt::Try(_)))
    {
        let line = ctx.source().line_col(stmt.start()).line;
        facts.toolbar_import = Some(line);
    }
    let headers = header_writes_in_stmt(stmt);
    record_headers(ctx, facts, headers.iter().map(|h| h.name));
    let from_mapping = headers_from_mapping_loop(ctx, stmt);
    record_headers(ctx, facts, from_mapping.iter().copied());
    // `if not app.config.get("SECRET_KEY"):` (FH102's start-up check).
    if let Stmt::If(if_stmt) = stmt
        && let Expr::UnaryOp(not) = &*if_stmt.test
        && not.op == ast::UnaryOp::Not
        && let Expr::Call(call) = &*not.operand
        && let Expr::Attribute(get) = &*call.func
        && get.attr.as_str() == "get"
        && matches!(&*get.value, Expr::Attribute(config) if config.attr.as_str() == "config")
        && let Some(Expr::StringLiteral(key)) = call.arguments.args.first()
    {
        facts.secret_checks.insert(key.value.to_str().to_owned());
    }
    if let Stmt::FunctionDef(def) = stmt {
        let level = upload_level(ctx, def);
        if level > facts.upload_views {
            facts.upload_views = level;
        }
        let registered = def.decorator_list.iter().any(|d| {
            let target = match &d.expression {
                Expr::Call(call) => &*call.func,
                other => other,
            };
            matches!(target, Expr::Attribute(a) if matches!(a.attr.as_str(), "after_request" | "after_app_request"))
        });
        if registered {
            facts.after_request_functions.insert(def.name.to_string());
        }
        if def
            .decorator_list
            .iter()
            .any(|d| is_custom_rate_limit(ctx, &d.expression))
        {
            facts.custom_rate_limit = true;
        }
    }
}

/// 0: the function is not a view reading uploaded files; 1: a view reading
/// `request.files`; 2: one whose name or route says it imports, backs up or
/// restores data.
fn upload_level(ctx: ModuleContext<'_>, def: &ast::StmtFunctionDef) -> u8 {
    let route = def.decorator_list.iter().find_map(|d| match &d.expression {
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(a) if matches!(a.attr.as_str(), "route" | "post" | "put" | "patch") => {
                Some(call)
            }
            _ => None,
        },
        _ => None,
    });
    let Some(route) = route else { return 0 };
    let body = ctx.source().slice(def.range());
    if !body.contains("request.files") && !body.contains(".files[") && !body.contains(".files.get")
    {
        return 0;
    }
    let path = match route.arguments.args.first() {
        Some(Expr::StringLiteral(s)) => s.value.to_str().to_ascii_lowercase(),
        _ => String::new(),
    };
    let name = def.name.as_str().to_ascii_lowercase();
    let bulk = ["import", "backup", "restore", "dump", "archive", "bulk"]
        .iter()
        .any(|w| name.contains(w) || path.contains(w));
    if bulk { 2 } else { 1 }
}

/// A rate-limit decorator of the project or of a package other than
/// Flask-Limiter: its name says so (`rate_limit`, `ratelimit`, `throttle`), or
/// it comes from the `ratelimit` / `ratelimiter` packages.
fn is_custom_rate_limit(ctx: ModuleContext<'_>, decorator: &Expr) -> bool {
    let target = match decorator {
        Expr::Call(call) => &*call.func,
        other => other,
    };
    if let Some(qualified) = ctx.semantic().resolve_qualified_name(target) {
        let module = qualified.segments().next().unwrap_or_default();
        if module.starts_with("flask_limiter") {
            return false;
        }
        if matches!(module, "ratelimit" | "ratelimiter" | "flask_ratelimit") {
            return true;
        }
    }
    let name = match target {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return false,
    };
    let lower = name.to_ascii_lowercase();
    lower.contains("ratelimit") || lower.contains("rate_limit") || lower.contains("throttl")
}

/// Records call-level facts: applications, extensions, `init_app`, header
/// writes, `after_request(fn)` registrations.
pub(crate) fn collect_call(ctx: ModuleContext<'_>, facts: &mut ModuleFacts, call: &ast::ExprCall) {
    match mapping_load(ctx.semantic(), call, ctx.source().path()) {
        MappingLoad::Inline => {}
        MappingLoad::Resolved(settings) => collect_settings(facts, &settings),
        MappingLoad::Opaque => facts.opaque_config_load = true,
    }
    let headers = header_writes_in_call(call);
    record_headers(ctx, facts, headers.iter().map(|h| h.name));
    // `response.headers.update(HEADERS)` with a module-level dict of headers.
    if let Expr::Attribute(method) = &*call.func
        && matches!(method.attr.as_str(), "update" | "extend")
        && matches!(&*method.value, Expr::Attribute(h) if h.attr.as_str() == "headers")
        && let Some(Expr::Name(mapping)) = call.arguments.find_positional(0)
        && let Some(Expr::Dict(dict)) = ctx.semantic().assigned_value(&mapping.id)
    {
        let names: Vec<&str> = header_writes_in_dict(dict).iter().map(|h| h.name).collect();
        record_headers(ctx, facts, names.into_iter());
    }
    if let Expr::Attribute(attr) = &*call.func {
        match attr.attr.as_str() {
            "after_request" | "after_app_request" => {
                if let Some(Expr::Name(name)) = call.arguments.find_positional(0) {
                    facts.after_request_functions.insert(name.id.to_string());
                }
            }
            "init_app" => {
                let receiver = match &*attr.value {
                    Expr::Name(n) => Some(n.id.to_string()),
                    Expr::Attribute(a) => Some(a.attr.to_string()),
                    _ => None,
                };
                if let Some(receiver) = receiver {
                    collect_cors_init_app(ctx, facts, call, &receiver);
                    facts.init_app_receivers.insert(receiver);
                }
            }
            _ => {}
        }
    }
    if let Expr::Name(name) = &*call.func
        && ctx.semantic().is_flask_subclass(&name.id)
    {
        collect_app(ctx, facts, call);
        return;
    }
    // Only an application class or an extension is looked at: the callee's
    // last segment says whether it can be one before it is resolved.
    if !ctx
        .semantic()
        .last_segment(&call.func)
        .is_some_and(|last| COLLECTED.contains(last))
    {
        return;
    }
    let Some(callee) = ctx.semantic().resolve_qualified_name(&call.func) else {
        return;
    };
    if callee.is_any(FLASK_CLASSES) {
        collect_app(ctx, facts, call);
        return;
    }
    let dotted = callee.dotted();
    let Some(extension) = Extension::from_callee(&dotted) else {
        return;
    };
    // `CORS(blueprint)` applies flask-cors to the blueprint's routes alone:
    // without origins, those answer every origin just the same.
    let blueprint = extension == Extension::Cors
        && call
            .arguments
            .args
            .first()
            .is_some_and(|first| ctx.semantic().is_blueprint(first));
    if has_app_argument(ctx, &call.arguments) || blueprint {
        facts.applied.insert(extension);
        let splat = call.arguments.keywords.iter().any(|k| k.arg.is_none());
        if extension == Extension::Cors && !splat && !has_cors_origins(&call.arguments) {
            let fix_places = cors_fix_places(ctx, &call.arguments);
            let credentials = keyword_is_true(&call.arguments, "supports_credentials");
            let statement = statement_start(ctx, call);
            facts.cors_candidates.push(CorsCandidate {
                range: call.range(),
                receiver: None,
                credentials,
                statement,
                fix_places,
            });
        }
        return;
    }
    if let Some(Stmt::Assign(assign)) = ctx.semantic().current_statement()
        && let [Expr::Name(target)] = &*assign.targets
        && matches!(&*assign.value, Expr::Call(c) if std::ptr::eq(c, call))
    {
        let has_origins = has_cors_origins(&call.arguments);
        facts
            .instances
            .insert(target.id.to_string(), (extension, has_origins));
    }
}

fn keyword_is_true(arguments: &ast::Arguments, name: &str) -> bool {
    arguments
        .find_keyword(name)
        .is_some_and(|k| matches!(&k.value, Expr::BooleanLiteral(b) if b.value))
}

fn collect_cors_init_app(
    ctx: ModuleContext<'_>,
    facts: &mut ModuleFacts,
    call: &ast::ExprCall,
    receiver: &str,
) {
    if has_cors_origins(&call.arguments) || call.arguments.keywords.iter().any(|k| k.arg.is_none())
    {
        return;
    }
    let fix_places = cors_fix_places(ctx, &call.arguments);
    let credentials = keyword_is_true(&call.arguments, "supports_credentials");
    let statement = statement_start(ctx, call);
    facts.cors_candidates.push(CorsCandidate {
        range: call.range(),
        receiver: Some(receiver.to_owned()),
        credentials,
        statement,
        fix_places,
    });
}

/// Start of the statement around `call` (suppression comments on the line that
/// opens it apply).
pub fn statement_start(ctx: ModuleContext<'_>, call: &ast::ExprCall) -> ruff_text_size::TextSize {
    ctx.semantic()
        .current_statement()
        .map_or(call.start(), Ranged::start)
}

/// The expression CORS origins are read from.
pub const CORS_ORIGINS_FROM_ENV: &str =
    r#"[o.strip() for o in os.environ.get("CORS_ORIGINS", "").split(",") if o.strip()]"#;

/// Where FH201's fix goes for a CORS set-up with these `arguments`, when
/// FH201 is enabled for the module.
pub fn cors_fix_places(
    ctx: ModuleContext<'_>,
    arguments: &ast::Arguments,
) -> Option<CorsFixPlaces> {
    ctx.enabled(Rule::CorsWildcardOrigin)
        .then(|| CorsFixPlaces {
            origins: ArgumentsEnd::of(arguments),
            os_import: ensure_import(ctx, "os"),
        })
}

/// The `return <app>` statement of the function that directly contains
/// `assignment`, when it ends that function's body, directly or as the last
/// statement of a trailing `with` block (`with app.app_context(): ...
/// return app`).
fn factory_return<'a>(ctx: ModuleContext<'a>, assignment: &'a Stmt, app: &str) -> Option<&'a Stmt> {
    let function = ctx.semantic().functions.last()?;
    if !function.body.iter().any(|s| std::ptr::eq(s, assignment)) {
        return None;
    }
    let mut last = function.body.last()?;
    loop {
        match last {
            Stmt::Return(ret) => {
                return match ret.value.as_deref() {
                    Some(Expr::Name(name)) if name.id.as_str() == app => Some(last),
                    _ => None,
                };
            }
            Stmt::With(with) => last = with.body.last()?,
            _ => return None,
        }
    }
}

fn collect_app(ctx: ModuleContext<'_>, facts: &mut ModuleFacts, call: &ast::ExprCall) {
    if ctx.file().is_test {
        return;
    }
    let statement = ctx.semantic().current_statement();
    let app_name = match statement {
        Some(Stmt::Assign(assign)) => match (&*assign.targets, &*assign.value) {
            ([Expr::Name(target)], Expr::Call(c)) if std::ptr::eq(c, call) => {
                Some(target.id.to_string())
            }
            _ => None,
        },
        Some(Stmt::AnnAssign(assign)) => match (&*assign.target, assign.value.as_deref()) {
            (Expr::Name(target), Some(Expr::Call(c))) if std::ptr::eq(c, call) => {
                Some(target.id.to_string())
            }
            _ => None,
        },
        _ => None,
    };
    // In an application factory, before its `return app` (after the whole
    // configuration); elsewhere right after `app = Flask(...)` and the
    // configuration statements that follow it.
    let factory_return = app_name
        .as_deref()
        .and_then(|name| factory_return(ctx, statement?, name));
    let body: Option<&[Stmt]> = match ctx.semantic().functions.last() {
        Some(function)
            if statement.is_some_and(|s| function.body.iter().any(|b| std::ptr::eq(b, s))) =>
        {
            Some(&function.body)
        }
        _ if statement.is_some_and(|s| ctx.parsed().suite().iter().any(|b| std::ptr::eq(b, s))) => {
            Some(ctx.parsed().suite())
        }
        _ => None,
    };
    let place = AppPlace {
        app: app_name.clone().unwrap_or_else(|| "app".to_owned()),
        statement: statement.filter(|_| app_name.is_some()),
        body,
        factory_return,
    };
    let app = app_facts(ctx, &place);
    let statement_start = statement.map_or(call.start(), Ranged::start);
    facts.apps.push(AppSite {
        range: call.range(),
        statement: statement_start,
        facts: app,
    });
}

/// Module-level facts, after the walk: what an extensions module offers
/// (see [`ExtensionSlots`]), given the facts the walk collected.
pub(crate) fn module_extension_slots(
    ctx: ModuleContext<'_>,
    facts: &ModuleFacts,
    secrets: &[TextRange],
) -> Option<ExtensionSlots> {
    if ctx.file().is_test {
        return None;
    }
    let existing = |extension: Extension| {
        facts
            .instances
            .iter()
            .find(|(_, (e, _))| *e == extension)
            .map(|(name, _)| name.clone())
    };
    let talisman = existing(Extension::Talisman);
    let limiter = existing(Extension::Limiter);
    extension_slots(ctx, talisman.as_deref(), limiter.as_deref(), secrets)
}

/// Facts from a non-Python input: `.flaskenv` sets configuration keys through
/// `FLASK_`-prefixed variables (`FLASK_MAX_CONTENT_LENGTH`).
pub fn text_file_facts(kind: TextFileKind, source: &SourceFile) -> ModuleFacts {
    let mut facts = ModuleFacts::default();
    if kind != TextFileKind::Flaskenv {
        return facts;
    }
    for line in source.text().lines() {
        let line = line.trim().trim_start_matches("export ").trim_start();
        if line.starts_with('#') {
            continue;
        }
        if let Some((key, _)) = line.split_once('=')
            && let Some(setting) = key.trim().strip_prefix("FLASK_")
        {
            facts.config_keys.insert(setting.to_owned());
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collected_classes_cover_the_applications_and_extensions() {
        let extensions = Extension::CALLEES.iter().map(|(callee, _)| callee);
        for dotted in FLASK_CLASSES.iter().chain(extensions) {
            let last = dotted.rsplit('.').next().unwrap();
            assert!(COLLECTED.contains(last), "{dotted}");
        }
        assert!(!COLLECTED.contains("add"));
    }

    #[test]
    fn import_candidates_climb_one_folder_per_extra_dot() {
        let c = |from, level, module| import_candidates(from, level, module);
        let pair = |a: &str, b: &str| Some([a.to_owned(), b.to_owned()]);
        assert_eq!(
            c("app/views.py", 0, "pkg.db"),
            pair("pkg/db.py", "pkg/db/__init__.py")
        );
        assert_eq!(
            c("app/views.py", 1, "db"),
            pair("app/db.py", "app/db/__init__.py")
        );
        assert_eq!(c("app/views.py", 1, ""), pair("app/.py", "app/__init__.py"));
        assert_eq!(
            c("a/b/views.py", 2, "x.y"),
            pair("a/x/y.py", "a/x/y/__init__.py")
        );
        assert_eq!(c("a/views.py", 2, "x"), pair("x.py", "x/__init__.py"));
        assert_eq!(c("views.py", 1, "x"), pair("x.py", "x/__init__.py"));
        assert_eq!(c("views.py", 1, ""), pair(".py", "__init__.py"));
        assert_eq!(c("a/views.py", 3, "x"), None);
        assert_eq!(c("views.py", 2, "x"), None);
        let index =
            ModuleIndex::new([("src/pkg/db.py", 1), ("pkg/api/__init__.py", 2)].into_iter());
        assert_eq!(index.resolve("x.py", 0, "pkg.db"), Some(1));
        assert_eq!(index.resolve("pkg/api/v.py", 1, ""), Some(2));
        assert_eq!(index.resolve("pkg/api/v.py", 2, "api"), Some(2));
        assert_eq!(index.resolve("pkg/api/v.py", 4, "api"), None);
    }
}
