//! The rules, one file per rule named after it, and the dispatch that the
//! [`Checker`] calls for every statement and expression of a module (and once per
//! module, once per project, and once per non-Python input).
//!
//! Each rule file declares itself in a `pub const RULE: RuleDef` (see
//! [`registry`](super::registry)): its metadata and its `Hooks`, the
//! functions the dispatch calls and on which nodes. This file only declares
//! the modules (those of the rules come from the list in `codes`) and
//! dispatches: a `Dispatch`, built once per file from the
//! enabled rules, holds the hooks of each kind, so the walk calls exactly the
//! enabled rules' hooks for each node. Project facts (`project::collect_*`)
//! are collected before the rules run on a node.

use std::collections::HashSet;

use ruff_python_ast::{self as ast, Expr, Stmt};

use super::checker::{Checker, FlowChecker};
use super::codes::RuleSet;
use super::config_values::{ConfigSetting, settings_in_call, settings_in_stmt};
use super::diagnostic::Diagnostic;
use super::discovery::TextFileKind;
use super::flask::is_dependency_annotation;
use super::project::{self, ProjectModel};
use super::registry::RULES;
use super::request_data::{Links, Scopes, walk_scopes};
use super::semantic::SemanticModel;
use super::source::SourceFile;

pub(crate) mod app_extension;

/// Declares the module of every rule listed in the registry.
macro_rules! declare_modules {
    ($($variant:ident => $module:ident = $code:literal ($severity:ident),)*) => {
        $(pub mod $module;)*
    };
}

super::codes::for_each_rule!(declare_modules);

/// Called for every assignment statement (`x = ...`, `x: T = ...`).
pub(crate) type AssignHook = for<'a> fn(&mut Checker<'a>, &'a Stmt);
/// Called for every class definition.
pub(crate) type ClassHook = fn(&mut Checker, &ast::StmtClassDef);
/// Called for every call expression.
pub(crate) type CallHook = fn(&mut Checker, &ast::ExprCall);
/// Called for every dict display.
pub(crate) type DictHook = fn(&mut Checker, &ast::ExprDict);
/// Called for every configuration setting (every `DEBUG = True` /
/// `app.config["X"] = v` / `update(X=v)` / ... form, extracted by
/// `config_values`).
pub(crate) type SettingHook = fn(&mut Checker, &ConfigSetting);
/// Called with all the settings of one statement or call at once.
pub(crate) type SettingsHook = fn(&mut Checker, &[ConfigSetting]);
/// Called once per module, after the walk.
pub(crate) type ModuleHook = fn(&mut Checker, &[Stmt]);
/// Called once per project with the merged facts of its modules; returns
/// (file index, finding) pairs (per-file selection and suppressions are
/// applied by the engine afterwards).
pub(crate) type ProjectHook = fn(&ProjectModel) -> Vec<(usize, Diagnostic)>;
/// Called for every non-Python input (`.flaskenv`, dependency files) with the
/// file's enabled rules.
pub(crate) type TextFileHook = fn(TextFileKind, &SourceFile, RuleSet) -> Vec<Diagnostic>;
/// During the walk: whether the flow rule looks at this call (its scope is
/// then analysed after the walk).
pub(crate) type SinkHook = fn(&SemanticModel, &ast::ExprCall) -> bool;
/// During the walk: whether this call builds a response (its scope is then
/// analysed after the walk).
pub(crate) type ResponseHook = fn(&ast::ExprCall) -> bool;
/// After the walk: called once per analysed scope.
pub(crate) type ScopeHook = fn(&mut FlowChecker);
/// After the walk: called for each call of an analysed scope.
pub(crate) type FlowCallHook = fn(&mut FlowChecker, &ast::ExprCall);
/// After the walk: called for each expression of an analysed scope.
pub(crate) type NodeHook = fn(&mut FlowChecker, &Expr);

/// Where a rule looks: the functions the dispatch calls, by kind of input.
/// Declarations list the hooks they have and end with `..Hooks::NONE`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hooks {
    /// Run the rule's Python hooks (walk and module) even when the rule is
    /// disabled for the file; the rule then checks `checker.enabled` itself
    /// before reporting.
    pub always: bool,
    /// Assignment statements.
    pub assign: Option<AssignHook>,
    /// Class definitions.
    pub class: Option<ClassHook>,
    /// Calls.
    pub call: Option<CallHook>,
    /// Dict displays.
    pub dict: Option<DictHook>,
    /// Each configuration setting.
    pub setting: Option<SettingHook>,
    /// The configuration settings of one statement or call, together.
    pub settings: Option<SettingsHook>,
    /// The whole module, after the walk.
    pub module: Option<ModuleHook>,
    /// The whole project (run whatever the per-file selection).
    pub project: Option<ProjectHook>,
    /// Non-Python inputs.
    pub text_file: Option<TextFileHook>,
    /// Flow rules: the calls that make a scope worth analysing.
    pub flow_sink: Option<SinkHook>,
    /// Flow rules: the response-building calls that make a scope worth analysing.
    pub flow_response: Option<ResponseHook>,
    /// Flow rules: each analysed scope; declaring it also analyses every
    /// route function (FH301 looks at every view).
    pub flow_scope: Option<ScopeHook>,
    /// Flow rules: each call of an analysed scope.
    pub flow_call: Option<FlowCallHook>,
    /// Flow rules: each expression of an analysed scope.
    pub flow_node: Option<NodeHook>,
}

impl Hooks {
    /// No hook: a rule reported elsewhere (or not implemented yet).
    pub const NONE: Self = Self {
        always: false,
        assign: None,
        class: None,
        call: None,
        dict: None,
        setting: None,
        settings: None,
        module: None,
        project: None,
        text_file: None,
        flow_sink: None,
        flow_response: None,
        flow_scope: None,
        flow_call: None,
        flow_node: None,
    };
}

/// The hooks of one file's rules, by kind, in code order: built once per file
/// from its [`RuleSet`] (plus the rules that always run).
#[derive(Debug, Default)]
pub(crate) struct Dispatch {
    assign: Vec<AssignHook>,
    class: Vec<ClassHook>,
    call: Vec<CallHook>,
    dict: Vec<DictHook>,
    setting: Vec<SettingHook>,
    settings: Vec<SettingsHook>,
    module: Vec<ModuleHook>,
    flow_sink: Vec<SinkHook>,
    flow_response: Vec<ResponseHook>,
    flow_scope: Vec<ScopeHook>,
    flow_call: Vec<FlowCallHook>,
    flow_node: Vec<NodeHook>,
}

impl Dispatch {
    /// The hooks of the rules in `rules` and of those that always run.
    pub(crate) fn new(rules: RuleSet) -> Self {
        let mut dispatch = Self::default();
        for info in RULES {
            let hooks = &info.hooks;
            if !hooks.always && !rules.contains(info.rule) {
                continue;
            }
            dispatch.assign.extend(hooks.assign);
            dispatch.class.extend(hooks.class);
            dispatch.call.extend(hooks.call);
            dispatch.dict.extend(hooks.dict);
            dispatch.setting.extend(hooks.setting);
            dispatch.settings.extend(hooks.settings);
            dispatch.module.extend(hooks.module);
            dispatch.flow_sink.extend(hooks.flow_sink);
            dispatch.flow_response.extend(hooks.flow_response);
            dispatch.flow_scope.extend(hooks.flow_scope);
            dispatch.flow_call.extend(hooks.flow_call);
            dispatch.flow_node.extend(hooks.flow_node);
        }
        dispatch
    }

    /// The hooks for `rules`, shared: most files of a run have the same rules,
    /// so each worker thread keeps the last set it built.
    pub(crate) fn of(rules: RuleSet) -> std::sync::Arc<Self> {
        thread_local! {
            static LAST: std::cell::RefCell<Option<(RuleSet, std::sync::Arc<Dispatch>)>> =
                const { std::cell::RefCell::new(None) };
        }
        LAST.with_borrow_mut(|last| match last {
            Some((set, dispatch)) if *set == rules => std::sync::Arc::clone(dispatch),
            _ => {
                let dispatch = std::sync::Arc::new(Self::new(rules));
                *last = Some((rules, std::sync::Arc::clone(&dispatch)));
                dispatch
            }
        })
    }
}

/// Calls each hook of one kind of the checker's [`Dispatch`] (by index: the
/// hooks are plain function pointers, copied out before the call).
macro_rules! run_hooks {
    ($checker:ident . $kind:ident ( $($arg:expr),* )) => {
        for i in 0..$checker.dispatch().$kind.len() {
            let hook = $checker.dispatch().$kind[i];
            hook($checker, $($arg),*);
        }
    };
}

/// Runs the statement-level rules (called before the statement's children).
#[inline]
pub(crate) fn analyze_stmt<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt) {
    let (module, facts) = checker.module_and_facts();
    project::collect_stmt(module, facts, stmt);
    if let Stmt::ClassDef(class) = stmt {
        run_hooks!(checker.class(class));
    }
    if !matches!(stmt, Stmt::Assign(_) | Stmt::AnnAssign(_)) {
        return;
    }
    let settings = settings_in_stmt(checker.semantic(), stmt);
    analyze_settings(checker, &settings);
    run_hooks!(checker.assign(stmt));
}

/// Runs the expression-level rules (called before the expression's children).
#[inline]
pub(crate) fn analyze_expr<'a>(checker: &mut Checker<'a>, expr: &'a Expr) {
    match expr {
        Expr::Call(call) => {
            checker.record_flow_call(call);
            let dispatch = checker.dispatch();
            // In functions every sink is recorded (what request data given
            // to the function could reach, see `request_data::Reach`);
            // at module level the first one is enough.
            if checker.flow_scopes().records_sinks() {
                if dispatch
                    .flow_sink
                    .iter()
                    .any(|is_sink| is_sink(checker.semantic(), call))
                {
                    checker.record_flow_sink(call);
                }
            } else if !checker.flow_scopes().has_sink()
                && dispatch
                    .flow_sink
                    .iter()
                    .any(|is_sink| is_sink(checker.semantic(), call))
            {
                checker.mark_flow_sink();
            }
            let dispatch = checker.dispatch();
            if !checker.flow_scopes().has_response()
                && dispatch
                    .flow_response
                    .iter()
                    .any(|is_response| is_response(call))
            {
                checker.mark_flow_response();
            }
            let (module, facts) = checker.module_and_facts();
            project::collect_call(module, facts, call);
            let settings = settings_in_call(call);
            analyze_settings(checker, &settings);
            run_hooks!(checker.call(call));
        }
        Expr::Dict(dict) => run_hooks!(checker.dict(dict)),
        _ => {}
    }
}

/// Runs the rules that look at configuration settings, once per setting of a
/// statement or call (see `config_values` for the forms), then those that
/// look at them together.
fn analyze_settings(checker: &mut Checker, settings: &[ConfigSetting]) {
    if settings.is_empty() {
        return;
    }
    project::collect_settings(checker.facts_mut(), settings);
    for setting in settings {
        run_hooks!(checker.setting(setting));
    }
    run_hooks!(checker.settings(settings));
}

/// Runs the module-level rules, after the walk.
pub(crate) fn analyze_module<'a>(checker: &mut Checker<'a>, suite: &'a [Stmt]) {
    analyze_request_flows(checker, suite);
    let slots =
        project::module_extension_slots(checker.module(), checker.facts(), checker.secrets());
    checker.facts_mut().extension_slots = slots;
    run_hooks!(checker.module(suite));
}

/// Runs the flow rules (those with `flow_*` hooks, following request data and
/// constants inside each scope) over the scopes of the module where they can
/// report (the module's own statements and each function), reporting one
/// finding per rule and line.
fn analyze_request_flows<'a>(checker: &mut Checker<'a>, suite: &'a [Stmt]) {
    // FastAPI dependency aliases: those this module defines (for the modules
    // that import them) and those it imports, whatever its rules.
    let defined = dependency_aliases_defined(checker.semantic(), suite);
    let candidates = checker
        .flow_scopes()
        .view_annotation_imports(checker.semantic());
    let imported = checker
        .file()
        .dependency_aliases
        .as_deref()
        .map(|aliases| {
            aliases.imported_by(
                &checker.file().relative_path,
                &checker.facts().from_imports,
                &candidates,
            )
        })
        .unwrap_or_default();
    let dispatch = checker.dispatch();
    if dispatch.flow_scope.is_empty()
        && dispatch.flow_call.is_empty()
        && dispatch.flow_node.is_empty()
    {
        let flow = &mut checker.facts_mut().flow;
        flow.dependency_aliases = defined;
        flow.dependency_candidates = candidates;
        flow.dependency_imports = imported;
        return;
    }
    let dependencies: rustc_hash::FxHashSet<&str> = imported.iter().map(String::as_str).collect();
    let mut found: Vec<Diagnostic> = Vec::new();
    // Only the scopes where a rule can report are analysed: those the walk
    // marked with a sink, those where exception text can occur (FH501), and
    // route functions (FH301).
    let which = Scopes::Reporting {
        routes: !dispatch.flow_scope.is_empty(),
    };
    // Names imported from modules that may belong to the project: calls to
    // them with request data are followed by the engine.
    let names = checker.file().project_names.as_deref();
    let project_imports: rustc_hash::FxHashSet<&str> = checker
        .facts()
        .from_imports
        .iter()
        .filter(|import| {
            import.level > 0
                || names.is_none_or(|names| {
                    names.contains(import.module.split('.').next().unwrap_or_default())
                })
        })
        .map(|import| import.local.as_str())
        .collect();
    let project = |name: &str| project_imports.contains(name);
    let mut called: std::collections::BTreeMap<String, bool> = std::collections::BTreeMap::new();
    let mut via_used = false;
    let checker_ref: &Checker = checker;
    let context = checker_ref.file();
    let mut exports = walk_scopes(
        checker_ref.semantic(),
        suite,
        checker_ref.flow_scopes(),
        which,
        Links {
            cross: &context.cross_module,
            project: &project,
            dependencies: &dependencies,
            imported_names: context.imported_names.as_deref(),
            module_imported: context.imported_names.as_deref().is_some_and(|names| {
                let path = context.relative_path.as_str();
                let path = path.strip_suffix("/__init__.py").unwrap_or(path);
                let stem = path.rsplit('/').next().unwrap_or(path);
                names.contains(stem.strip_suffix(".py").unwrap_or(stem))
            }),
        },
        |flow| {
            let mut context = FlowChecker::new(checker_ref, flow, None, &mut found);
            for check in &dispatch.flow_scope {
                check(&mut context);
            }
            flow.walk(|node| {
                let before = found.len();
                let mut context = FlowChecker::new(checker_ref, flow, Some(node), &mut found);
                if let Expr::Call(call) = node.expr {
                    // Which imported functions the module calls, and whether
                    // with request data: what their return summaries can
                    // change here.
                    if let Some(local) = flow.imported_callee(&call.func, project) {
                        let with_request = flow.has_request_argument(call);
                        *called.entry(local).or_default() |= with_request;
                    }
                    for check in &dispatch.flow_call {
                        check(&mut context, call);
                    }
                }
                for check in &dispatch.flow_node {
                    check(&mut context, node.expr);
                }
                // Suppression comments may sit on the line that opens the statement.
                for diagnostic in &mut found[before..] {
                    diagnostic.parent = Some(ruff_text_size::Ranged::start(node.statement()));
                }
                // A helper that views call with request data: name the routes.
                if !flow.via().is_empty() && found.len() > before {
                    via_used = true;
                    let routes: Vec<String> = flow.via().iter().map(ToString::to_string).collect();
                    for diagnostic in &mut found[before..] {
                        diagnostic.message.push_str(&format!(
                            " (the request data comes from route {} through this function's parameters)",
                            routes.join(", ")
                        ));
                    }
                }
            });
        },
    );
    for (local, with_request) in called {
        *exports.called.entry(local).or_default() |= with_request;
    }
    // Routes of this module, named with its path for the other modules.
    for call in &mut exports.calls {
        for route in &mut call.via {
            if route.file.is_none() {
                route.file = Some(context.relative_path.clone());
            }
        }
    }
    exports.via_used = via_used || !exports.calls.is_empty();
    exports.dependency_aliases = defined;
    exports.dependency_candidates = candidates;
    exports.dependency_imports = imported;
    checker.facts_mut().flow = exports;
    let source = checker.source();
    let mut seen = HashSet::new();
    found.retain(|d| seen.insert((d.rule, source.line_col(d.range.start()).line)));
    for diagnostic in found {
        checker.report(diagnostic);
    }
}

/// The names the module's own statements bind to a FastAPI dependency
/// annotation (`SessionDep = Annotated[Session, Depends(get_session)]`).
fn dependency_aliases_defined(semantic: &SemanticModel, suite: &[Stmt]) -> Vec<String> {
    suite
        .iter()
        .filter_map(|stmt| match stmt {
            Stmt::Assign(assign) => match (&*assign.targets, &*assign.value) {
                ([Expr::Name(name)], value @ Expr::Subscript(_)) => Some((name, value)),
                _ => None,
            },
            Stmt::AnnAssign(assign) => match (&*assign.target, assign.value.as_deref()) {
                (Expr::Name(name), Some(value @ Expr::Subscript(_))) => Some((name, value)),
                _ => None,
            },
            _ => None,
        })
        .filter(|(_, value)| is_dependency_annotation(semantic, value))
        .map(|(name, _)| name.id.to_string())
        .collect()
}

/// Runs the project-level rules over the merged facts of one project; returns
/// (file index, finding) pairs. Per-file rule selection and suppressions are
/// applied by the engine afterwards.
pub(crate) fn analyze_project(model: &ProjectModel) -> Vec<(usize, Diagnostic)> {
    RULES
        .iter()
        .filter_map(|info| info.hooks.project)
        .flat_map(|check| check(model))
        .collect()
}

/// Runs the enabled rules' hooks for a non-Python input file.
pub(crate) fn analyze_text_file(
    kind: TextFileKind,
    source: &SourceFile,
    rules: RuleSet,
) -> Vec<Diagnostic> {
    RULES
        .iter()
        .filter(|info| rules.contains(info.rule))
        .filter_map(|info| info.hooks.text_file)
        .flat_map(|check| check(kind, source, rules))
        .collect()
}
