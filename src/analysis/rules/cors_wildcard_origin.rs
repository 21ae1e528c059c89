//! FH201 `cors-wildcard-origin`: CORS that allows any origin (flask-cors with no
//! or wildcard origins, `@cross_origin()`, `CORS_ORIGINS = "*"`, or an
//! `Access-Control-Allow-Origin` header set to `*` or to the request's Origin).

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::autofix::{indent_unit, line_ending};
use crate::analysis::checker::Checker;
use crate::analysis::codes::Rule;
use crate::analysis::config_values::ConfigSetting;
use crate::analysis::diagnostic::{Diagnostic, Edit, Fix};
use crate::analysis::headers::{
    HeaderWrite, header_writes_in_call, header_writes_in_dict, header_writes_in_stmt,
};
use crate::analysis::imports::{ImportPlan, ensure_import};
use crate::analysis::project::{
    CORS_ORIGINS_FROM_ENV, CorsCandidate, ProjectModel, cors_fix_places, has_cors_origins,
    is_wildcard, statement_start,
};
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;
use crate::analysis::semantic::SemanticModel;

/// The rule's documentation, printed by `flask-harden rule FH201`.
pub const DOC: &str = r#"## What it does
Finds CORS policies that let any website read the API's responses:
`CORS(app)`, `CORS(blueprint)` or `cors.init_app(app)` without `origins` (flask-cors then allows
`*`, unless `CORS_ORIGINS` is configured), `origins="*"`, `["*"]` or `r".*"`,
`resources={r"/api/*": {"origins": "*"}}`, `@cross_origin()` with default or
`*` origins, `CORS_ORIGINS = "*"`, and an `Access-Control-Allow-Origin` response
header set to `*` or copied from the request's `Origin`. With
`supports_credentials=True` the finding is critical.

## Why is this bad?
A wildcard (or reflected) origin lets any website call the API from a victim's
browser and read the answers. Reflecting the Origin with credentials allowed is
the worst case: every site the user visits can act as the user and read their
data.

## Example
```python
CORS(app)
CORS(app, origins="*", supports_credentials=True)
```

Use instead:
```python
import os

CORS(app, origins=[o.strip() for o in os.environ.get("CORS_ORIGINS", "").split(",") if o.strip()])
```

## Fix safety
The fix is safe: the allowed origins come from the `CORS_ORIGINS` environment
variable (a comma-separated list), with no wildcard; with the variable unset no
cross-origin access is allowed. Header-based policies are reported with guidance
only.

## References
- CWE-942: Permissive Cross-domain Policy with Untrusted Domains, https://cwe.mitre.org/data/definitions/942.html
- OWASP Top 10 A05:2021 Security Misconfiguration, https://owasp.org/Top10/A05_2021-Security_Misconfiguration/
- flask-cors: API, https://flask-cors.readthedocs.io/en/latest/api.html
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "cors-wildcard-origin",
    fix: FixAvailability::Safe,
    cwe: "CWE-942",
    owasp: "A05:2021",
    owasp_title: "Security Misconfiguration",
    summary: "CORS that allows any origin (or reflects the request's Origin)",
    doc: Some(DOC),
    hooks: Hooks {
        assign: Some(check_stmt),
        call: Some(check_call),
        dict: Some(check_dict),
        setting: Some(check_setting),
        project: Some(check_project),
        ..Hooks::NONE
    },
};

const CORS: &[&str] = &["flask_cors.CORS", "flask_cors.extension.CORS"];
const CROSS_ORIGIN: &[&str] = &[
    "flask_cors.cross_origin",
    "flask_cors.decorator.cross_origin",
];

fn credentials(arguments: &ast::Arguments) -> bool {
    arguments
        .find_keyword("supports_credentials")
        .is_some_and(|k| matches!(&k.value, Expr::BooleanLiteral(b) if b.value))
}

fn message(what: &str, credentials: bool) -> String {
    if credentials {
        format!(
            "Critical: {what} while `supports_credentials=True`: any website can make authenticated requests as your users and read the responses. List the allowed origins explicitly (from the `CORS_ORIGINS` environment variable)"
        )
    } else {
        format!(
            "{what}: any website can call this API from a user's browser and read the responses. List the allowed origins explicitly (from the `CORS_ORIGINS` environment variable)"
        )
    }
}

/// Header assignments.
pub(crate) fn check_stmt<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt) {
    for header in header_writes_in_stmt(stmt) {
        check_header(checker, &header);
    }
}

/// `CORS(...)`, `init_app(...)`, `cross_origin(...)`, header calls.
pub(crate) fn check_call(checker: &mut Checker, call: &ast::ExprCall) {
    for header in header_writes_in_call(call) {
        check_header(checker, &header);
    }
    let semantic = checker.semantic();
    let is_cors = semantic.resolves_to(&call.func, CORS);
    let is_cross_origin = semantic.resolves_to(&call.func, CROSS_ORIGIN);
    let is_init_app = matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "init_app");
    if !is_cors && !is_cross_origin && !is_init_app {
        return;
    }
    let arguments = &call.arguments;
    let creds = credentials(arguments);
    if let Some(origins) = arguments
        .find_keyword("origins")
        .or_else(|| arguments.find_keyword("origin"))
        && is_wildcard(&origins.value)
    {
        report_value(
            checker,
            origins.range(),
            origins.value.range(),
            "CORS allows every origin (`origins` is a wildcard)",
            creds,
        );
    }
    if let Some(resources) = arguments.find_keyword("resources")
        && let Expr::Dict(dict) = &resources.value
    {
        for item in &dict.items {
            let Expr::Dict(options) = &item.value else {
                continue;
            };
            for option in &options.items {
                if let Some(Expr::StringLiteral(key)) = &option.key
                    && key.value.to_str() == "origins"
                    && is_wildcard(&option.value)
                {
                    report_value(
                        checker,
                        option.value.range(),
                        option.value.range(),
                        "CORS allows every origin for a resource (`\"origins\": \"*\"`)",
                        creds,
                    );
                }
            }
        }
    }
    // A decorator with default origins: reported at project level unless
    // CORS_ORIGINS is configured (flask-cors reads the app config).
    if is_cross_origin && !has_cors_origins(arguments) && arguments.find_keyword("origin").is_none()
    {
        let fix_places = cors_fix_places(checker.module(), arguments);
        let statement = statement_start(checker.module(), call);
        checker.facts_mut().cors_candidates.push(CorsCandidate {
            range: call.range(),
            receiver: None,
            credentials: creds,
            statement,
            fix_places,
        });
    }
}

/// Every dict literal with an `Access-Control-Allow-Origin` entry.
pub(crate) fn check_dict(checker: &mut Checker, dict: &ast::ExprDict) {
    for header in header_writes_in_dict(dict) {
        check_header(checker, &header);
    }
}

fn report_value(
    checker: &mut Checker,
    range: TextRange,
    value: TextRange,
    what: &str,
    creds: bool,
) {
    let mut edits = vec![Edit::replacement(CORS_ORIGINS_FROM_ENV, value)];
    edits.extend(ensure_import(checker.module(), "os"));
    let fix = origins_from_env(edits);
    checker.report(
        Diagnostic::new(Rule::CorsWildcardOrigin, range, message(what, creds)).with_fix(fix),
    );
}

/// The fix that reads the allowed origins from the `CORS_ORIGINS`
/// environment variable (`edits` write the expression and import `os`).
fn origins_from_env(edits: Vec<Edit>) -> Fix {
    Fix::safe(
        "Allow only the origins listed in the CORS_ORIGINS environment variable (comma-separated)",
        edits,
    )
    .reading_env("CORS_ORIGINS")
}

/// `CORS_ORIGINS = "*"` in any configuration form.
pub(crate) fn check_setting(checker: &mut Checker, setting: &ConfigSetting) {
    if setting.key != "CORS_ORIGINS" || !is_wildcard(setting.value) {
        return;
    }
    report_value(
        checker,
        setting.finding_range(),
        setting.value.range(),
        "`CORS_ORIGINS` is a wildcard",
        false,
    );
}

/// Whether an expression is (or was assigned from) the request's Origin header.
fn is_request_origin(semantic: &SemanticModel, expr: &Expr, depth: u8) -> bool {
    let mentions_origin = |e: &Expr| match e {
        Expr::StringLiteral(s) => {
            let v = s.value.to_str();
            v.eq_ignore_ascii_case("origin") || v == "HTTP_ORIGIN"
        }
        _ => false,
    };
    match expr {
        Expr::Attribute(attr) => {
            attr.attr.as_str() == "origin" && semantic.resolves_to(&attr.value, &["flask.request"])
        }
        Expr::Subscript(sub) => {
            mentions_origin(&sub.slice) && is_request_part(semantic, &sub.value)
        }
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(attr) if attr.attr.as_str() == "get" => {
                call.arguments
                    .find_positional(0)
                    .is_some_and(mentions_origin)
                    && is_request_part(semantic, &attr.value)
            }
            _ => false,
        },
        Expr::Name(name) if depth < 3 => semantic
            .assigned_value(&name.id)
            .is_some_and(|value| is_request_origin(semantic, value, depth + 1)),
        Expr::BoolOp(op) => op
            .values
            .iter()
            .any(|v| is_request_origin(semantic, v, depth)),
        _ => false,
    }
}

fn is_request_part(semantic: &SemanticModel, expr: &Expr) -> bool {
    match expr {
        Expr::Attribute(attr) => {
            matches!(attr.attr.as_str(), "headers" | "environ")
                && semantic.resolves_to(&attr.value, &["flask.request"])
        }
        _ => false,
    }
}

fn check_header(checker: &mut Checker, header: &HeaderWrite) {
    if !header
        .name
        .eq_ignore_ascii_case("Access-Control-Allow-Origin")
    {
        return;
    }
    let what = match header.value {
        Expr::StringLiteral(s) if s.value.to_str().trim() == "*" => {
            "The `Access-Control-Allow-Origin` header is `*`"
        }
        value
            if is_request_origin(checker.semantic(), value, 0)
                && !origin_checked(checker.semantic()) =>
        {
            "The `Access-Control-Allow-Origin` header reflects the request's `Origin`, which allows every origin"
        }
        _ => return,
    };
    let fix = Fix::safe(
        "Send Access-Control-Allow-Origin only for origins listed in the CORS_ORIGINS environment variable",
        header_fix_edits(checker, header),
    )
    .reading_env("CORS_ORIGINS");
    let range = header.value.range();
    checker.report(
        Diagnostic::new(Rule::CorsWildcardOrigin, range, message(what, false)).with_fix(fix),
    );
}

/// Whether the statement sits directly in an `if <request origin> in <list>:`
/// body (an allow-list check, as the fix writes).
fn origin_checked(semantic: &SemanticModel) -> bool {
    let Some(Stmt::If(if_stmt)) = semantic.parent_statement() else {
        return false;
    };
    let Expr::Compare(compare) = &*if_stmt.test else {
        return false;
    };
    matches!(&*compare.ops, [ast::CmpOp::In])
        && is_request_origin(semantic, &compare.left, 0)
        && !matches!(&compare.comparators[0], Expr::StringLiteral(_))
}

/// Rewrites `resp.headers["Access-Control-Allow-Origin"] = <value>` (a whole
/// statement of its own) into
/// `if request.headers.get("Origin") in <origins from CORS_ORIGINS>:` followed
/// by the assignment of the request's origin, in the file's indentation.
/// Empty when the header is written in another form.
fn header_fix_edits(checker: &Checker, header: &HeaderWrite) -> Vec<Edit> {
    let Some(Stmt::Assign(assign)) = checker.semantic().current_statement() else {
        return Vec::new();
    };
    if assign.targets.len() != 1 || assign.value.range() != header.value.range() {
        return Vec::new();
    }
    let source = checker.source();
    let line_start = source.line_range(assign.start()).start();
    let indent = &source.text()[line_start.to_usize()..assign.start().to_usize()];
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return Vec::new();
    }
    let unit = indent_unit(source.text());
    let eol = line_ending(source.text());
    let target = source.slice(assign.targets[0].range());
    let replacement = format!(
        "if request.headers.get(\"Origin\") in {CORS_ORIGINS_FROM_ENV}:{eol}{indent}{unit}{target} = request.headers[\"Origin\"]"
    );
    let mut imports = ImportPlan::new(checker.module());
    imports.module_as_is("os");
    imports.name_as_is("flask", "request");
    let mut edits = vec![Edit::replacement(replacement, assign.range())];
    edits.extend(imports.edits());
    edits
}

/// `CORS(app)` / `cors.init_app(app)` / `@cross_origin()` without origins,
/// unless the configuration sets `CORS_ORIGINS` or `CORS_RESOURCES`.
pub(crate) fn check_project(model: &ProjectModel) -> Vec<(usize, Diagnostic)> {
    if model.has_config_key("CORS_ORIGINS") || model.has_config_key("CORS_RESOURCES") {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (file, facts) in &model.modules {
        for candidate in &facts.cors_candidates {
            if let Some(receiver) = &candidate.receiver
                && !model.cors_instance_without_origins(receiver)
            {
                continue;
            }
            let what =
                "CORS is enabled without `origins`, and flask-cors then allows every origin (`*`)";
            let mut diagnostic = Diagnostic::new(
                Rule::CorsWildcardOrigin,
                candidate.range,
                message(what, candidate.credentials),
            );
            if let Some(places) = &candidate.fix_places {
                let mut edits = vec![
                    places
                        .origins
                        .append(&format!("origins={CORS_ORIGINS_FROM_ENV}")),
                ];
                edits.extend(places.os_import.clone());
                diagnostic = diagnostic.with_fix(origins_from_env(edits));
            }
            diagnostic.parent = Some(candidate.statement);
            out.push((*file, diagnostic));
        }
    }
    out
}
