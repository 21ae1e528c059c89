//! The rules, one file per rule named after it, and the dispatch that the
//! [`Checker`] calls for every statement and expression of a module (and once per
//! module, once per project, and once per non-Python input). This file only
//! declares and dispatches; the checks live in the rule files.

use std::collections::HashSet;

use ruff_python_ast::{Expr, Stmt};

use super::checker::Checker;
use super::config_values::{
    ConfigSetting, SettingForm, is_truthy_literal, settings_in_call, settings_in_stmt,
};
use super::diagnostic::Diagnostic;
use super::discovery::TextFileKind;
use super::project::{self, ProjectModel};
use super::registry::{Rule, RuleSet};
use super::request_data::{Scopes, callee_name, walk_scopes};
use super::source::SourceFile;

pub mod admin_views_unprotected;
pub(crate) mod app_extension;
pub mod bind_all_interfaces;
pub mod command_injection;
pub mod cors_wildcard_origin;
pub mod csrf_protection_disabled;
pub mod debug_mode_enabled;
pub mod debug_toolbar_exposed;
pub mod hardcoded_secret;
pub mod insecure_session_cookie;
pub mod jwt_cookie_csrf_disabled;
pub mod jwt_no_expiry;
pub mod jwt_symmetric_algorithm;
pub mod jwt_unverified_decode;
pub mod missing_authorization;
pub mod missing_hardening_dependency;
pub mod missing_max_content_length;
pub mod missing_rate_limiting;
pub mod missing_security_headers;
pub mod open_redirect;
pub mod path_traversal;
pub mod sensitive_data_logged;
pub mod server_side_request_forgery;
pub mod session_protection_disabled;
pub mod sql_echo_enabled;
pub mod sql_injection;
pub mod stack_trace_exposure;
pub mod template_injection;
pub mod unsafe_deserialization;
pub mod unvalidated_request_body;
pub mod vulnerable_dependency;
pub mod weak_secret_key;
pub mod weak_talisman_config;

/// Runs the statement-level rules (called before the statement's children).
pub(crate) fn analyze_stmt<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt) {
    project::collect_stmt(checker, stmt);
    if let Stmt::ClassDef(class) = stmt
        && checker.enabled(Rule::AdminViewsUnprotected)
    {
        admin_views_unprotected::check_class(checker, class);
    }
    if !matches!(stmt, Stmt::Assign(_) | Stmt::AnnAssign(_)) {
        return;
    }
    let settings = settings_in_stmt(checker.semantic(), stmt);
    analyze_settings(checker, &settings);
    if checker.enabled(Rule::DebugModeEnabled) {
        debug_mode_enabled::check_stmt(checker, stmt);
    }
    // Always run: it marks secret literals for masking even when disabled.
    hardcoded_secret::check_stmt(checker, stmt);
    if checker.enabled(Rule::WeakSecretKey) {
        weak_secret_key::check_stmt(checker, stmt);
    }
    if checker.enabled(Rule::CorsWildcardOrigin) {
        cors_wildcard_origin::check_stmt(checker, stmt);
    }
    if checker.enabled(Rule::JwtSymmetricAlgorithm) {
        jwt_symmetric_algorithm::check_stmt(checker, stmt);
    }
    if checker.enabled(Rule::JwtNoExpiry) {
        jwt_no_expiry::check_stmt(checker, stmt);
    }
    if checker.enabled(Rule::SessionProtectionDisabled) {
        session_protection_disabled::check_stmt(checker, stmt);
    }
}

/// Runs the expression-level rules (called before the expression's children).
pub(crate) fn analyze_expr<'a>(checker: &mut Checker<'a>, expr: &'a Expr) {
    match expr {
        Expr::Call(call) => {
            if !checker.flow_scopes().has_sink() && is_flow_sink(checker, call) {
                checker.mark_flow_sink();
            }
            if !checker.flow_scopes().has_response()
                && checker.enabled(Rule::StackTraceExposure)
                && callee_name(call)
                    .is_some_and(|c| stack_trace_exposure::RESPONSE_BUILDERS.contains(&c))
            {
                checker.mark_flow_response();
            }
            project::collect_call(checker, call);
            let settings = settings_in_call(call);
            analyze_settings(checker, &settings);
            if checker.enabled(Rule::DebugModeEnabled) {
                debug_mode_enabled::check_call(checker, call);
            }
            hardcoded_secret::check_call(checker, call);
            if checker.enabled(Rule::BindAllInterfaces) {
                bind_all_interfaces::check_call(checker, call);
            }
            if checker.enabled(Rule::InsecureSessionCookie) {
                insecure_session_cookie::check_call(checker, call);
            }
            if checker.enabled(Rule::DebugToolbarExposed) {
                debug_toolbar_exposed::check_call(checker, call);
            }
            if checker.enabled(Rule::CorsWildcardOrigin) {
                cors_wildcard_origin::check_call(checker, call);
            }
            if checker.enabled(Rule::WeakTalismanConfig) {
                weak_talisman_config::check_call(checker, call);
            }
            if checker.enabled(Rule::UnsafeDeserialization) {
                unsafe_deserialization::check_call(checker, call);
            }
            if checker.enabled(Rule::JwtUnverifiedDecode) {
                jwt_unverified_decode::check_call(checker, call);
            }
            if checker.enabled(Rule::JwtSymmetricAlgorithm) {
                jwt_symmetric_algorithm::check_call(checker, call);
            }
            if checker.enabled(Rule::JwtNoExpiry) {
                jwt_no_expiry::check_call(checker, call);
            }
            if checker.enabled(Rule::SqlEchoEnabled) {
                sql_echo_enabled::check_call(checker, call);
            }
            if checker.enabled(Rule::AdminViewsUnprotected) {
                admin_views_unprotected::check_call(checker, call);
            }
            if checker.enabled(Rule::SensitiveDataLogged) {
                sensitive_data_logged::check_call(checker, call);
            }
        }
        Expr::Dict(dict) if checker.enabled(Rule::CorsWildcardOrigin) => {
            cors_wildcard_origin::check_dict(checker, dict);
        }
        _ => {}
    }
}

/// Runs the rules that look at configuration settings, once per setting of a
/// statement or call (see `config_values` for the forms).
fn analyze_settings(checker: &mut Checker, settings: &[ConfigSetting]) {
    if settings.is_empty() {
        return;
    }
    project::collect_settings(checker, settings);
    // `update(TESTING=True, WTF_CSRF_ENABLED=False)` / `from_mapping({...})`:
    // one mapping that turns testing on is test configuration.
    let testing_mapping = settings.iter().any(|s| {
        matches!(s.form, SettingForm::Keyword | SettingForm::DictEntry)
            && s.key == "TESTING"
            && is_truthy_literal(s.value)
    });
    for setting in settings {
        if checker.enabled(Rule::DebugModeEnabled) {
            debug_mode_enabled::check_setting(checker, setting);
        }
        // Always run: it marks secret literals for masking even when disabled.
        hardcoded_secret::check_setting(checker, setting);
        if checker.enabled(Rule::WeakSecretKey) {
            weak_secret_key::check_setting(checker, setting);
        }
        if checker.enabled(Rule::InsecureSessionCookie) {
            insecure_session_cookie::check_setting(checker, setting);
        }
        if checker.enabled(Rule::CsrfProtectionDisabled) && !testing_mapping {
            csrf_protection_disabled::check_setting(checker, setting);
        }
        if checker.enabled(Rule::DebugToolbarExposed) {
            debug_toolbar_exposed::check_setting(checker, setting);
        }
        if checker.enabled(Rule::CorsWildcardOrigin) {
            cors_wildcard_origin::check_setting(checker, setting);
        }
        if checker.enabled(Rule::JwtCookieCsrfDisabled) {
            jwt_cookie_csrf_disabled::check_setting(checker, setting);
        }
        if checker.enabled(Rule::SqlEchoEnabled) {
            sql_echo_enabled::check_setting(checker, setting);
        }
        if checker.enabled(Rule::SessionProtectionDisabled) {
            session_protection_disabled::check_setting(checker, setting);
        }
    }
}

/// Runs the module-level rules, after the walk.
pub(crate) fn analyze_module<'a>(checker: &mut Checker<'a>, suite: &'a [Stmt]) {
    analyze_request_flows(checker, suite);
    project::collect_module(checker);
    missing_authorization::collect_module(checker, suite);
}

/// The rules that follow request data (and constants) inside each scope.
const FLOW_RULES: &[Rule] = &[
    Rule::UnvalidatedRequestBody,
    Rule::SqlInjection,
    Rule::TemplateInjection,
    Rule::PathTraversal,
    Rule::CommandInjection,
    Rule::OpenRedirect,
    Rule::ServerSideRequestForgery,
    Rule::StackTraceExposure,
];

/// Whether an enabled flow rule looks at `call` (its scope is then analysed
/// after the walk; see [`analyze_request_flows`]).
fn is_flow_sink(checker: &Checker, call: &ruff_python_ast::ExprCall) -> bool {
    let semantic = checker.semantic();
    (checker.enabled(Rule::SqlInjection) && sql_injection::is_sink(semantic, call))
        || (checker.enabled(Rule::TemplateInjection) && template_injection::is_sink(semantic, call))
        || (checker.enabled(Rule::PathTraversal) && path_traversal::is_sink(semantic, call))
        || (checker.enabled(Rule::CommandInjection) && command_injection::is_sink(semantic, call))
        || (checker.enabled(Rule::OpenRedirect) && open_redirect::is_sink(semantic, call))
        || (checker.enabled(Rule::ServerSideRequestForgery)
            && server_side_request_forgery::is_sink(semantic, call))
}

/// Runs the request-data rules over every scope of the module (the module's own
/// statements and each function), reporting one finding per rule and line.
fn analyze_request_flows<'a>(checker: &mut Checker<'a>, suite: &'a [Stmt]) {
    let enabled: RuleSet = FLOW_RULES
        .iter()
        .copied()
        .filter(|rule| checker.enabled(*rule))
        .collect();
    if enabled.is_empty() {
        return;
    }
    let mut found: Vec<Diagnostic> = Vec::new();
    let text = checker.source().text();
    // Only the scopes where a rule can report are analysed: those the walk
    // marked with a sink, those where exception text can occur (FH501), and
    // route functions (FH301).
    let which = Scopes::Reporting {
        routes: enabled.contains(Rule::UnvalidatedRequestBody),
    };
    walk_scopes(
        checker.semantic(),
        suite,
        checker.flow_scopes(),
        which,
        |flow| {
            if enabled.contains(Rule::UnvalidatedRequestBody) {
                unvalidated_request_body::check_scope(checker, flow, &mut found);
            }
            flow.walk(|node| {
            let before = found.len();
            if matches!(node.expr, Expr::Call(_)) {
                if enabled.contains(Rule::SqlInjection) {
                    sql_injection::check(flow, node, text, &mut found);
                }
                if enabled.contains(Rule::TemplateInjection) {
                    template_injection::check(flow, node, &mut found);
                }
                if enabled.contains(Rule::PathTraversal) {
                    path_traversal::check(flow, node, &mut found);
                }
                if enabled.contains(Rule::CommandInjection) {
                    command_injection::check(flow, node, &mut found);
                }
                if enabled.contains(Rule::OpenRedirect) {
                    open_redirect::check(flow, node, &mut found);
                }
                if enabled.contains(Rule::ServerSideRequestForgery) {
                    server_side_request_forgery::check(flow, node, &mut found);
                }
            }
            if enabled.contains(Rule::StackTraceExposure) {
                stack_trace_exposure::check(flow, node, &mut found);
            }
            // Suppression comments may sit on the line that opens the statement.
            for diagnostic in &mut found[before..] {
                diagnostic.parent = Some(ruff_text_size::Ranged::start(node.statement()));
            }
            // A helper that views call with request data: name the routes.
            if !flow.via().is_empty() {
                let routes: Vec<String> = flow.via().iter().map(|r| format!("`{r}`")).collect();
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
    let source = checker.source();
    let mut seen = HashSet::new();
    found.retain(|d| seen.insert((d.rule, source.line_col(d.range.start()).line)));
    for diagnostic in found {
        checker.report(diagnostic);
    }
}

/// Runs the project-level rules over the merged facts of one project; returns
/// (file index, finding) pairs. Per-file rule selection and suppressions are
/// applied by the engine afterwards.
pub(crate) fn analyze_project(model: &ProjectModel) -> Vec<(usize, Diagnostic)> {
    let mut out = missing_max_content_length::check_project(model);
    out.extend(missing_security_headers::check_project(model));
    out.extend(missing_rate_limiting::check_project(model));
    out.extend(cors_wildcard_origin::check_project(model));
    out.extend(missing_authorization::check_project(model));
    out
}

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
