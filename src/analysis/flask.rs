//! What Flask means, in one place: route decorators and their URL rules,
//! class-based views, error handlers and the request object (and, for views
//! written with FastAPI, which parameters are dependencies). The flow rules,
//! FH301 and FH404 ask these questions; they do not answer them themselves.

use ruff_python_ast::{self as ast, AnyParameterRef, Expr};

use super::semantic::SemanticModel;

/// The dotted names of Flask's request object.
pub const REQUEST_OBJECT: &[&str] = &["flask.request", "flask.globals.request"];

/// Base classes (by their last name) of class-based views: Flask's
/// `MethodView` and `View`, flask-restful's and flask-restx's `Resource`.
pub const VIEW_BASES: &[&str] = &["MethodView", "View", "Resource"];

/// Whether `class` derives from a class-based view base (see [`VIEW_BASES`]).
pub fn is_class_view(class: &ast::StmtClassDef) -> bool {
    class.bases().iter().any(|base| {
        let name = match base {
            Expr::Name(n) => n.id.as_str(),
            Expr::Attribute(a) => a.attr.as_str(),
            _ => "",
        };
        VIEW_BASES.contains(&name)
    })
}

/// `Some(rule)` when `decorator` registers a route: `@x.route(...)` (any
/// arguments), or `@x.get("/...")` / post / put / patch / delete with a URL
/// rule; `rule` is the literal URL rule when there is one.
pub fn route_decorator(decorator: &ast::Decorator) -> Option<Option<&str>> {
    let Expr::Call(call) = &decorator.expression else {
        return None;
    };
    let Expr::Attribute(attr) = &*call.func else {
        return None;
    };
    let method = attr.attr.as_str();
    if !ROUTE_METHODS.contains(&method) {
        return None;
    }
    let rule = match call.arguments.find_argument_value("rule", 0) {
        Some(Expr::StringLiteral(s)) => Some(s.value.to_str()),
        _ => None,
    };
    if method != "route" && !rule.is_some_and(|r| r.starts_with('/')) {
        return None;
    }
    Some(rule)
}

/// The view arguments of a route function whose converter makes them safe
/// (`<int:id>`, `<float:x>`, `<uuid:u>`).
pub struct ViewArguments {
    /// The view arguments a converter makes safe.
    pub safe: Vec<String>,
}

/// Decorator methods that register a route.
pub const ROUTE_METHODS: &[&str] = &["route", "get", "post", "put", "patch", "delete"];

/// `Some` when `function` is a route function: decorated with `@x.route(...)`,
/// `@x.get("/...")` (and post/put/patch/delete), or an HTTP-method handler of a
/// `MethodView`/`View`/`Resource` class.
pub fn route_view_arguments(
    function: &ast::StmtFunctionDef,
    class: Option<&ast::StmtClassDef>,
) -> Option<ViewArguments> {
    let mut found = false;
    let mut safe = Vec::new();
    for decorator in &function.decorator_list {
        let Some(rule) = route_decorator(decorator) else {
            continue;
        };
        found = true;
        if let Some(rule) = rule {
            safe.extend(safe_converters(rule));
        }
    }
    if !found
        && let Some(class) = class
        && matches!(
            function.name.as_str(),
            "get" | "post" | "put" | "patch" | "delete" | "dispatch_request"
        )
        && is_class_view(class)
    {
        found = true;
    }
    found.then_some(ViewArguments { safe })
}

/// The variable names of `<int:x>`, `<float:x>`, `<uuid:x>` in a URL rule.
pub fn safe_converters(rule: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in rule.split('<').skip(1) {
        let Some(inner) = part.split('>').next() else {
            continue;
        };
        if let Some((converter, name)) = inner.split_once(':') {
            let converter = converter.split('(').next().unwrap_or(converter).trim();
            if matches!(converter, "int" | "float" | "uuid") {
                out.push(name.trim().to_owned());
            }
        }
    }
    out
}

/// FastAPI's dependency markers: a parameter declared with one is filled in
/// by the framework (a database session, the current user, a parsed filter
/// object), not taken from the request as written.
pub const DEPENDENCY_MARKERS: &[&str] = &[
    "fastapi.Depends",
    "fastapi.Security",
    "fastapi.params.Depends",
    "fastapi.params.Security",
    "fastapi.param_functions.Depends",
    "fastapi.param_functions.Security",
];

const ANNOTATED: &[&str] = &["typing.Annotated", "typing_extensions.Annotated"];

/// Whether `annotation` declares a FastAPI dependency:
/// `Annotated[Session, Depends(get_session)]` (or `Security(...)`).
pub fn is_dependency_annotation(semantic: &SemanticModel, annotation: &Expr) -> bool {
    let Expr::Subscript(subscript) = annotation else {
        return false;
    };
    let Expr::Tuple(arguments) = &*subscript.slice else {
        return false;
    };
    arguments.elts.len() > 1
        && semantic.resolves_to(&subscript.value, ANNOTATED)
        && arguments.elts[1..].iter().any(|metadata| {
            matches!(metadata, Expr::Call(call) if semantic.resolves_to(&call.func, DEPENDENCY_MARKERS))
        })
}

/// Whether a view parameter is a FastAPI dependency rather than request data:
/// its default is `Depends(...)`/`Security(...)`, or its annotation is
/// `Annotated[T, Depends(...)]`, a module-level alias of one (`SessionDep =
/// Annotated[Session, Depends(get_session)]`; `SessionDep` then annotates
/// it), or a name imported from another module of the project that defines
/// such an alias (`imported_alias`, by local name).
pub fn is_dependency_parameter(
    semantic: &SemanticModel,
    parameter: AnyParameterRef<'_>,
    imported_alias: impl Fn(&str) -> bool,
) -> bool {
    if let Some(Expr::Call(call)) = parameter.default()
        && semantic.resolves_to(&call.func, DEPENDENCY_MARKERS)
    {
        return true;
    }
    match parameter.annotation() {
        Some(Expr::Name(name)) => {
            let name = name.id.as_str();
            if semantic.is_imported(name) {
                imported_alias(name)
            } else {
                semantic
                    .assigned_value(name)
                    .is_some_and(|value| is_dependency_annotation(semantic, value))
            }
        }
        Some(annotation) => is_dependency_annotation(semantic, annotation),
        None => false,
    }
}

/// `@app.errorhandler(...)`, `@bp.app_errorhandler(...)`.
pub fn is_error_handler(function: &ast::StmtFunctionDef) -> bool {
    function.decorator_list.iter().any(|decorator| {
        let expr = match &decorator.expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        matches!(expr, Expr::Attribute(a) if matches!(a.attr.as_str(), "errorhandler" | "app_errorhandler"))
    })
}
