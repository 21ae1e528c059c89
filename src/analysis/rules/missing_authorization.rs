//! FH701 `missing-authorization`: in an application that guards some views
//! (`login_required`, `jwt_required`, `roles_required`, `auth.login_required`,
//! a project decorator or `before_request` hook that checks identity), a
//! state-changing view (POST, PUT, PATCH, DELETE) with no guard at all.
//!
//! Each module contributes [`AuthFacts`] (guarded views, guard hooks, project
//! guard decorators, unguarded state-changing views); the project-level check
//! decides with the facts of every module, so a decorator defined in
//! `auth/decorators.py` counts in `blog/views.py`.

use std::collections::BTreeSet;

use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use ruff_python_ast::{self as ast, CmpOp, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::checker::Checker;
use crate::analysis::codes::Rule;
use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::project::{AuthFacts, Candidate, ProjectModel, Registrations};
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;

/// The rule's documentation, printed by `flask-harden rule FH701`.
pub const DOC: &str = r#"## What it does
In an application that guards some of its views, finds state-changing views
(POST, PUT, PATCH or DELETE: `methods=[...]`, `@app.post`/`put`/`patch`/
`delete`, the `post`/`put`/`patch`/`delete` methods of a `MethodView` or
`Resource`) that have no guard at all.

A view that branches on the identity (`if current_user.is_authenticated:`
with a path for anonymous users) handles anonymous callers on purpose and is
not reported either.

A view is guarded by a decorator such as `login_required`,
`fresh_login_required`, `jwt_required()`, `roles_required(...)`,
`auth.login_required`, `permission.require()`, a decorator whose name says so
(`admin_required`, `token_required`, `requires_auth`) or a decorator of the
project whose body checks identity (`current_user.is_authenticated`,
`verify_jwt_in_request()`, `session.get("user_id")`, `g.user`,
`request.authorization`, `abort(401)`); by a class-level `decorators` /
`method_decorators` list; by a check in its own body (`if not
current_user.is_authenticated: abort(401)`, `verify_jwt_in_request()`); or by a
`before_request` hook of its blueprint that checks identity and refuses the
request. A `before_request` hook of the application (or
`before_app_request`) that does so guards every view: no finding.

Views that must be reachable without an account are not reported: login,
logout, register and sign-up (also `create_user` / `new_account` with no
guard), password reset, token and refresh, OAuth callbacks, e-mail
confirmation, webhooks, contact and subscription forms, health checks, and
POST views that only read (search, preview, lookup, filter, validate), by the
view's name, its class's name or its URL. An application that guards no
view at all is not reported either (it has no accounts, or authenticates in
front of Flask).

## Why is this bad?
When most views check who is calling, the one that does not is usually a
forgotten decorator, not a decision: anyone can create, change or delete data
through it without an account (broken access control, the most common web
application risk).

## Example
```python
@bp.route("/posts", methods=["POST"])
@login_required
def create_post(): ...

@bp.route("/posts/<int:post_id>", methods=["DELETE"])
def delete_post(post_id): ...
```

Use instead:
```python
@bp.route("/posts/<int:post_id>", methods=["DELETE"])
@login_required
def delete_post(post_id):
    post = Post.query.get_or_404(post_id)
    if post.author_id != current_user.id:
        abort(403)
    ...
```

## Fix safety
Report only: which guard a view needs (any user, the owner of the record, an
administrator) is the application's decision. Add the decorator the other
views use and check that the user may act on the record; a view that is public
on purpose can say so with `# noqa: FH701` on its `def` line.

## References
- CWE-862: Missing Authorization, https://cwe.mitre.org/data/definitions/862.html
- OWASP Top 10 A01:2021 Broken Access Control, https://owasp.org/Top10/A01_2021-Broken_Access_Control/
- Flask-Login: Protecting Views, https://flask-login.readthedocs.io/en/latest/#protecting-views
- Flask-JWT-Extended: Basic Usage, https://flask-jwt-extended.readthedocs.io/en/stable/basic_usage.html
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "missing-authorization",
    fix: FixAvailability::None,
    cwe: "CWE-862",
    owasp: "A01:2021",
    owasp_title: "Broken Access Control",
    summary: "A state-changing view with no authentication guard in an app that guards others",
    doc: Some(DOC),
    hooks: Hooks {
        // Runs even when the rule is disabled for this file: the facts feed the
        // project-level check, whose findings may land in other files.
        always: true,
        call: Some(record_registration),
        module: Some(collect_module),
        project: Some(check_project),
        ..Hooks::NONE
    },
};

/// Records the calls that register hooks and class-based views (during the
/// walk; test code and modules importing nothing of Flask excluded, as in
/// [`collect_module`]).
pub(crate) fn record_registration(checker: &mut Checker, call: &ast::ExprCall) {
    let Expr::Attribute(attr) = &*call.func else {
        return;
    };
    let method = attr.attr.as_str();
    if !matches!(method, "before_request" | "before_app_request" | "add_url_rule")
        || checker.file().is_test
        || !checker.semantic().imports_flask()
    {
        return;
    }
    let receiver = receiver_name(&attr.value);
    let found = &mut checker.facts_mut().authorization.registrations;
    if method == "add_url_rule" {
        let view_func = call.arguments.find_argument_value("view_func", 2);
        // `login_required(Cls.as_view("name"))`
        if let Some(Expr::Call(wrapper)) = view_func
            && let Some(guard) = guard_name(&wrapper.func)
            && let Some(class) = wrapper.arguments.args.first().and_then(as_view_class)
        {
            found.guarded_classes.insert((guard, class));
        }
        let view = view_func.and_then(as_view_class);
        if let (Some(receiver), Some(class)) = (receiver, view) {
            found.class_routes.push((class, receiver));
        }
        return;
    }
    let app_wide = method == "before_app_request";
    match (receiver, call.arguments.args.first()) {
        (Some(receiver), Some(Expr::Name(function))) => {
            found
                .hook_calls
                .push((receiver, app_wide, function.id.to_string()));
        }
        (Some(receiver), Some(guard @ Expr::Call(_))) if guard_name(guard).is_some() => {
            found.guard_hooks.push((receiver, app_wide));
        }
        _ => {}
    }
}

/// Completes the module's [`AuthFacts`] after the walk (test code excluded).
pub(crate) fn collect_module(checker: &mut Checker, _suite: &[Stmt]) {
    // Views, guards and identity checks all need Flask or an extension
    // (`request`, `session`, `g`, `current_user`, `jwt_required`): a module
    // importing none has nothing to contribute.
    if checker.file().is_test || !checker.semantic().imports_flask() {
        return;
    }
    let registrations = std::mem::take(&mut checker.facts_mut().authorization.registrations);
    let mut collector = Collector {
        checker,
        facts: AuthFacts::default(),
        registrations,
    };
    for (receiver, app_wide) in std::mem::take(&mut collector.registrations.guard_hooks) {
        if app_wide || collector.is_application(&receiver) {
            collector.facts.app_guard = true;
        } else {
            collector.facts.guarded_blueprints.insert(receiver);
        }
    }
    // The functions of the module's outline, recorded by the walk (an
    // application defines its views and hooks there, also in a factory).
    for (function, class) in collector.checker.flow_scopes().outline() {
        collector.function(function, class);
    }
    let facts = collector.facts;
    checker.facts_mut().authorization = facts;
}

/// The project-level check: every candidate not covered by a guard of the
/// project, when the project guards some view and no application-wide hook
/// guards them all.
pub(crate) fn check_project(model: &ProjectModel) -> Vec<(usize, Diagnostic)> {
    let facts = || {
        model
            .modules
            .iter()
            .map(|(i, f)| (*i, &f.authorization, *f))
    };
    if facts().any(|(_, a, _)| a.app_guard) {
        return Vec::new();
    }
    let guards_some =
        facts().any(|(_, a, _)| a.guarded_views > 0 || !a.guarded_blueprints.is_empty());
    if !guards_some {
        return Vec::new();
    }
    let decorators: BTreeSet<&str> = facts()
        .flat_map(|(_, a, _)| a.guard_decorators.iter().map(String::as_str))
        .collect();
    let index = model.index();
    // A blueprint name as (module defining or importing it, name).
    let origin = |facts: &crate::analysis::project::ModuleFacts, name: &str| -> (String, String) {
        facts
            .from_imports
            .iter()
            .find(|import| import.local == name)
            .and_then(|import| {
                let target = index.resolve(&facts.relative, import.level, &import.module)?;
                Some((target.relative.clone(), import.name.clone()))
            })
            .unwrap_or_else(|| (facts.relative.clone(), name.to_owned()))
    };
    let guarded: BTreeSet<(String, String)> = facts()
        .flat_map(|(_, a, f)| a.guarded_blueprints.iter().map(move |b| (f, b)))
        .map(|(f, b)| origin(f, b))
        .collect();
    let example = facts().find_map(|(_, a, _)| a.guard_example.clone());
    let mut out = Vec::new();
    for (file, auth, module) in facts() {
        for candidate in &auth.candidates {
            if candidate
                .decorators
                .iter()
                .any(|d| decorators.contains(d.as_str()))
            {
                continue;
            }
            if candidate
                .receiver
                .as_ref()
                .is_some_and(|r| guarded.contains(&origin(module, r)))
            {
                continue;
            }
            let guarded = match auth.guard_example.as_ref().or(example.as_ref()) {
                Some(guard) => format!("use `{guard}`"),
                None => "are guarded".to_owned(),
            };
            let message = format!(
                "`{}` accepts {} with no authentication guard, while other views of this application {guarded}: anyone can change data through it. Add the guard (and check that the user may act on the record), or mark it public on purpose with `# noqa: FH701`",
                candidate.name, candidate.methods
            );
            let mut diagnostic =
                Diagnostic::new(Rule::MissingAuthorization, candidate.range, message);
            diagnostic.parent = Some(candidate.statement);
            out.push((file, diagnostic));
        }
    }
    out
}

/// Looks at the functions of a module's outline (views, hooks, guards).
struct Collector<'c, 'a> {
    checker: &'c Checker<'a>,
    facts: AuthFacts,
    /// The calls recorded during the walk by [`record_registration`].
    registrations: Registrations,
}

impl Collector<'_, '_> {
    /// A function: a hook, a guard decorator, or a view.
    fn function(&mut self, function: &ast::StmtFunctionDef, class: Option<&ast::StmtClassDef>) {
        let name = function.name.as_str();
        // Scanning the body is most of the work: done only for the functions
        // that may be guards, hooks or views.
        let scanned = std::cell::OnceCell::new();
        let scan = || *scanned.get_or_init(|| IdentityScan::of(&function.body));
        let guard_decorator = function
            .decorator_list
            .iter()
            .find_map(|d| guard_name(&d.expression));
        // A guard decorator of the project: a function that wraps another and checks identity.
        if class.is_none()
            && function
                .body
                .iter()
                .any(|s| matches!(s, Stmt::FunctionDef(_)))
            && scan().blocks()
        {
            self.facts.guard_decorators.insert(name.to_owned());
        }
        // before_request hooks, by decorator or by call.
        let mut hooks: Vec<(String, bool)> = function
            .decorator_list
            .iter()
            .filter_map(|d| match &d.expression {
                Expr::Attribute(attr)
                    if matches!(attr.attr.as_str(), "before_request" | "before_app_request") =>
                {
                    receiver_name(&attr.value)
                        .map(|r| (r, attr.attr.as_str() == "before_app_request"))
                }
                _ => None,
            })
            .collect();
        hooks.extend(
            self.registrations
                .hook_calls
                .iter()
                .filter(|(_, _, f)| f == name)
                .map(|(r, app, _)| (r.clone(), *app)),
        );
        if !hooks.is_empty() && (guard_decorator.is_some() || scan().blocks()) {
            for (receiver, app_wide) in hooks {
                if app_wide || self.is_application(&receiver) {
                    self.facts.app_guard = true;
                } else {
                    self.facts.guarded_blueprints.insert(receiver);
                }
            }
            return;
        }
        let Some((methods, receiver)) = self.view_methods(function, class) else {
            return;
        };
        let class_guard = class.and_then(|class| {
            class_decorator_guard(class).or_else(|| {
                self.registrations
                    .guarded_classes
                    .iter()
                    .find(|(_, c)| c == class.name.as_str())
                    .map(|(guard, _)| guard.clone())
            })
        });
        let guard = guard_decorator.or(class_guard);
        let scan = scan();
        if guard.is_some() || scan.blocks() {
            // A login view or a webhook that answers 401 is not evidence
            // that the application guards views by identity.
            if (guard.is_some() || scan.identity) && !is_public_view(function, class) {
                self.facts.guarded_views += 1;
                if self.facts.guard_example.is_none() {
                    self.facts.guard_example = guard;
                }
            }
            return;
        }
        let changing: Vec<&str> = methods
            .iter()
            .map(String::as_str)
            .filter(|m| matches!(*m, "POST" | "PUT" | "PATCH" | "DELETE"))
            .collect();
        if changing.is_empty() || scan.branches || is_public_view(function, class) {
            return;
        }
        let mut decorators: Vec<String> = function
            .decorator_list
            .iter()
            .filter_map(|d| last_name(&d.expression))
            .collect();
        if let Some(class) = class {
            decorators.extend(class_decorator_names(class));
        }
        let name = match class {
            Some(class) => format!("{}.{name}", class.name),
            None => name.to_owned(),
        };
        self.facts.candidates.push(Candidate {
            range: function.name.range(),
            statement: function.start(),
            name,
            methods: changing.join(", "),
            receiver,
            decorators,
        });
    }

    /// The HTTP methods of a view and the receiver it is routed on; `None` when
    /// the function is not a view or its methods are not literal.
    fn view_methods(
        &self,
        function: &ast::StmtFunctionDef,
        class: Option<&ast::StmtClassDef>,
    ) -> Option<(Vec<String>, Option<String>)> {
        if let Some(class) = class {
            let method = function.name.as_str();
            if !matches!(method, "get" | "post" | "put" | "patch" | "delete")
                || !is_class_view(class)
            {
                return None;
            }
            let receiver = self
                .registrations
                .class_routes
                .iter()
                .find(|(c, _)| c == class.name.as_str())
                .map(|(_, r)| r.clone())
                .or_else(|| class_route_receiver(class));
            return Some((vec![method.to_ascii_uppercase()], receiver));
        }
        let mut methods = Vec::new();
        let mut receiver = None;
        let mut routed = false;
        for decorator in &function.decorator_list {
            let Expr::Call(call) = &decorator.expression else {
                continue;
            };
            let Expr::Attribute(attr) = &*call.func else {
                continue;
            };
            let method = attr.attr.as_str();
            let rule = match call.arguments.find_argument_value("rule", 0) {
                Some(Expr::StringLiteral(s)) => Some(s.value.to_str()),
                _ => None,
            };
            match method {
                "route" => match call.arguments.find_keyword("methods") {
                    None => methods.push("GET".to_owned()),
                    Some(keyword) => methods.extend(literal_methods(&keyword.value)?),
                },
                "get" | "post" | "put" | "patch" | "delete"
                    if rule.is_some_and(|r| r.starts_with('/')) =>
                {
                    methods.push(method.to_ascii_uppercase());
                }
                _ => continue,
            }
            routed = true;
            receiver = receiver.or_else(|| receiver_name(&attr.value));
        }
        routed.then_some((methods, receiver))
    }

    /// Whether a receiver name is the Flask application.
    fn is_application(&self, receiver: &str) -> bool {
        let semantic = self.checker.semantic();
        if let Some(Expr::Call(call)) = semantic.assigned_value(receiver) {
            return semantic
                .resolve_qualified_name(&call.func)
                .is_some_and(|q| q.last().ends_with("Flask"));
        }
        let lower = receiver.to_ascii_lowercase();
        lower == "app"
            || lower == "application"
            || lower.ends_with("_app")
            || lower == "current_app"
    }
}

/// `["POST", "GET"]` → the upper-case names; `None` when not all literal.
fn literal_methods(expr: &Expr) -> Option<Vec<String>> {
    let elements = match expr {
        Expr::List(list) => &list.elts,
        Expr::Tuple(tuple) => &tuple.elts,
        Expr::Set(set) => &set.elts,
        _ => return None,
    };
    elements
        .iter()
        .map(|e| match e {
            Expr::StringLiteral(s) => Some(s.value.to_str().to_ascii_uppercase()),
            _ => None,
        })
        .collect()
}

/// `bp` for `bp`, `api.bp` → `bp`.
fn receiver_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(name) => Some(name.id.to_string()),
        Expr::Attribute(attr) => Some(attr.attr.to_string()),
        _ => None,
    }
}

/// `Cls.as_view("name")` → `Cls`.
fn as_view_class(expr: &Expr) -> Option<String> {
    let Expr::Call(call) = expr else { return None };
    let Expr::Attribute(attr) = &*call.func else {
        return None;
    };
    if attr.attr.as_str() != "as_view" {
        return None;
    }
    match &*attr.value {
        Expr::Name(name) => Some(name.id.to_string()),
        _ => None,
    }
}

/// Whether a class is a class-based view (`MethodView`, `View`, flask-restful
/// or flask-restx `Resource`).
fn is_class_view(class: &ast::StmtClassDef) -> bool {
    class.bases().iter().any(|base| {
        matches!(
            last_name(base).as_deref(),
            Some("MethodView" | "View" | "Resource")
        )
    })
}

/// `@blp.route("/x")` on a class (flask-smorest): the receiver.
fn class_route_receiver(class: &ast::StmtClassDef) -> Option<String> {
    class
        .decorator_list
        .iter()
        .find_map(|d| match &d.expression {
            Expr::Call(call) => match &*call.func {
                Expr::Attribute(attr) if attr.attr.as_str() == "route" => {
                    receiver_name(&attr.value)
                }
                _ => None,
            },
            _ => None,
        })
}

/// The guard among a class view's `decorators = [...]` / `method_decorators`.
fn class_decorator_guard(class: &ast::StmtClassDef) -> Option<String> {
    class_decorator_exprs(class).find_map(guard_name)
}

/// The names of a class view's class-level decorators.
fn class_decorator_names(class: &ast::StmtClassDef) -> Vec<String> {
    class_decorator_exprs(class).filter_map(last_name).collect()
}

/// The expressions of `decorators = [...]` / `method_decorators = [...]` (or a
/// dict of lists) in a class body, and the class's own decorators.
fn class_decorator_exprs(class: &ast::StmtClassDef) -> impl Iterator<Item = &Expr> {
    let mut out: Vec<&Expr> = class.decorator_list.iter().map(|d| &d.expression).collect();
    for stmt in &class.body {
        let Stmt::Assign(assign) = stmt else { continue };
        let named = assign.targets.iter().any(|t| {
            matches!(t, Expr::Name(n) if matches!(n.id.as_str(), "decorators" | "method_decorators"))
        });
        if !named {
            continue;
        }
        match &*assign.value {
            Expr::List(list) => out.extend(list.elts.iter()),
            Expr::Tuple(tuple) => out.extend(tuple.elts.iter()),
            Expr::Dict(dict) => {
                for item in &dict.items {
                    match &item.value {
                        Expr::List(list) => out.extend(list.elts.iter()),
                        Expr::Tuple(tuple) => out.extend(tuple.elts.iter()),
                        other => out.push(other),
                    }
                }
            }
            _ => {}
        }
    }
    out.into_iter()
}

/// The last name of a decorator: `login_required`, `jwt_required()` →
/// `jwt_required`, `auth.login_required` → `login_required`.
fn last_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(name) => Some(name.id.to_string()),
        Expr::Attribute(attr) => Some(attr.attr.to_string()),
        Expr::Call(call) => last_name(&call.func),
        _ => None,
    }
}

/// Words of a decorator name that mark it as an authentication or
/// authorization guard.
const GUARD_WORDS: &[&str] = &[
    "login",
    "auth",
    "authenticated",
    "authorized",
    "authorize",
    "authorization",
    "require",
    "required",
    "requires",
    "permission",
    "permissions",
    "role",
    "roles",
    "admin",
    "admins",
    "authed",
    "logged",
    "token",
    "jwt",
    "protected",
    "staff",
    "superuser",
    "owner",
    "signed",
];

/// The decorator's name when it is a guard by its name
/// (`login_required`, `jwt_required()`, `roles_required("admin")`,
/// `auth.login_required`, `admin_permission.require()`).
fn guard_name(expr: &Expr) -> Option<String> {
    let name = last_name(expr)?;
    let words = words(&name);
    words
        .iter()
        .any(|w| GUARD_WORDS.contains(&w.as_str()))
        .then_some(name)
}

/// Names and URL words of views that are public by nature.
const PUBLIC_WORDS: &[&str] = &[
    "login",
    "logout",
    "signin",
    "signup",
    "signout",
    "register",
    "registration",
    "password",
    "forgot",
    "reset",
    "token",
    "tokens",
    "refresh",
    "auth",
    "oauth",
    "authorize",
    "callback",
    "verify",
    "verification",
    "confirm",
    "activate",
    "webhook",
    "webhooks",
    "hook",
    "contact",
    "subscribe",
    "unsubscribe",
    "newsletter",
    "feedback",
    "health",
    "healthz",
    "ping",
    "otp",
    "mfa",
    "session",
    "sessions",
    "invite",
    // POST used to read, not to change: search forms, previews, lookups.
    "search",
    "preview",
    "lookup",
    "filter",
    "validate",
];

/// Whether a view is public by nature (its name, its class's name or its URL).
fn is_public_view(function: &ast::StmtFunctionDef, class: Option<&ast::StmtClassDef>) -> bool {
    let mut texts: Vec<String> = vec![function.name.to_string()];
    if let Some(class) = class {
        texts.push(class.name.to_string());
    }
    for decorator in &function.decorator_list {
        if let Expr::Call(call) = &decorator.expression
            && let Some(Expr::StringLiteral(rule)) = call.arguments.find_argument_value("rule", 0)
        {
            texts.push(rule.value.to_str().to_owned());
        }
    }
    let pairs = [
        ("sign", "in"),
        ("sign", "up"),
        ("log", "in"),
        ("log", "out"),
        // `create_user` / `new_account` with no guard is the sign-up of an API.
        ("create", "user"),
        ("create", "account"),
        ("new", "user"),
        ("new", "account"),
    ];
    texts.iter().any(|text| {
        let words = words(text);
        words.iter().any(|w| PUBLIC_WORDS.contains(&w.as_str()))
            || words
                .windows(2)
                .any(|p| pairs.contains(&(p[0].as_str(), p[1].as_str())))
    })
}

/// The lower-case words of an identifier or a URL.
fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in text.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether a body checks identity and refuses the request: an `if` whose test
/// reads the identity (`current_user.is_authenticated`, `session.get("user_id")`,
/// `g.user`, `request.authorization`, the `Authorization` header) and whose
/// body returns, raises or aborts; a call that verifies a token or a login
/// (`verify_jwt_in_request()`, `get_jwt_identity()`, `check_auth(...)`); or
/// `abort(401)` / `abort(403)` / `raise Unauthorized`.
#[derive(Default, Clone, Copy)]
struct IdentityScan {
    /// The body reads the identity and refuses (or verifies a token or login).
    identity: bool,
    /// The body refuses with 401/403 without reading the identity (an API
    /// key or a signature compared by hand).
    refusal: bool,
    /// An `if` reads the identity without refusing: the view serves
    /// anonymous and signed-in users differently, on purpose.
    branches: bool,
}

impl IdentityScan {
    fn of(body: &[Stmt]) -> Self {
        let mut scan = Self::default();
        scan.visit_body(body);
        scan
    }

    /// Whether the body refuses unauthenticated requests in any way.
    fn blocks(&self) -> bool {
        self.identity || self.refusal
    }
}

impl<'a> Visitor<'a> for IdentityScan {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.identity {
            return;
        }
        match stmt {
            Stmt::If(s) => {
                let refuses = |body: &[Stmt]| body.iter().any(refuses);
                if reads_identity(&s.test) {
                    if refuses(&s.body) || s.elif_else_clauses.iter().any(|c| refuses(&c.body)) {
                        self.identity = true;
                        return;
                    }
                    self.branches = true;
                }
            }
            Stmt::Raise(s)
                if s.exc
                    .as_deref()
                    .and_then(last_name)
                    .is_some_and(|n| n.ends_with("Unauthorized") || n.ends_with("Forbidden")) =>
            {
                self.refusal = true;
            }
            Stmt::Return(s) if s.value.as_deref().is_some_and(is_refusal_response) => {
                self.refusal = true;
            }
            Stmt::Assert(s) if reads_identity(&s.test) => {
                self.identity = true;
                return;
            }
            _ => {}
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.identity {
            return;
        }
        if let Expr::Call(call) = expr {
            if is_identity_call(call) {
                self.identity = true;
                return;
            }
            if is_abort_unauthorized(call) {
                self.refusal = true;
            }
        }
        walk_expr(self, expr);
    }
}

/// Calls whose name says they check the caller: `verify_jwt_in_request`,
/// `get_jwt_identity`, `check_auth`, `authenticate`, `decode_auth_token`, ...
fn is_identity_call(call: &ast::ExprCall) -> bool {
    let Some(name) = last_name(&call.func) else {
        return false;
    };
    if matches!(
        name.as_str(),
        "verify_jwt_in_request" | "get_jwt_identity" | "get_jwt" | "current_user"
    ) {
        return true;
    }
    let words = words(&name);
    if words
        .windows(2)
        .any(|p| p[0] == "current" && matches!(p[1].as_str(), "user" | "identity"))
    {
        return true;
    }
    let verb = words.first().is_some_and(|w| {
        matches!(
            w.as_str(),
            "verify"
                | "check"
                | "require"
                | "ensure"
                | "authenticate"
                | "authorize"
                | "validate"
                | "decode"
        )
    });
    verb && words.iter().any(|w| {
        matches!(
            w.as_str(),
            "auth"
                | "authenticate"
                | "authorize"
                | "token"
                | "jwt"
                | "login"
                | "user"
                | "permission"
                | "permissions"
                | "role"
                | "roles"
                | "admin"
                | "session"
                | "api"
                | "credentials"
                | "signature"
        )
    }) || matches!(name.as_str(), "authenticate" | "authorize")
}

/// Whether a body reads the caller's identity and refuses the request
/// (`if not current_user.is_authenticated: return redirect(...)`) or verifies
/// a token or a login (`verify_jwt_in_request()`).
pub(crate) fn checks_identity(body: &[Stmt]) -> bool {
    IdentityScan::of(body).identity
}

/// `return ..., 401` / `return ..., 403`.
fn is_refusal_response(expr: &Expr) -> bool {
    let Expr::Tuple(tuple) = expr else {
        return false;
    };
    tuple.elts.iter().skip(1).any(|e| {
        matches!(e, Expr::NumberLiteral(n) if matches!(&n.value, ast::Number::Int(i) if matches!(i.as_u64(), Some(401 | 403))))
    })
}

/// `abort(401)` / `abort(403)` (any callee named `abort`).
fn is_abort_unauthorized(call: &ast::ExprCall) -> bool {
    last_name(&call.func).as_deref() == Some("abort")
        && matches!(
            call.arguments.args.first(),
            Some(Expr::NumberLiteral(n)) if matches!(&n.value, ast::Number::Int(i) if matches!(i.as_u64(), Some(401 | 403)))
        )
}

/// Whether a statement refuses the request: `return`, `raise`, `abort(...)`.
fn refuses(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Return(_) | Stmt::Raise(_) => true,
        Stmt::Expr(e) => {
            matches!(&*e.value, Expr::Call(c) if last_name(&c.func).as_deref() == Some("abort"))
        }
        _ => false,
    }
}

/// Whether an expression reads who is calling.
fn reads_identity(expr: &Expr) -> bool {
    #[derive(Default)]
    struct Reads(bool);
    impl<'a> Visitor<'a> for Reads {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.0 {
                return;
            }
            let hit = match expr {
                Expr::Attribute(attr) => {
                    let a = attr.attr.as_str();
                    matches!(a, "is_authenticated" | "is_anonymous" | "authorization")
                        || matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == "current_user")
                        || (matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == "g")
                            && identity_word(a))
                }
                Expr::Name(name) => name.id.as_str() == "current_user",
                Expr::Subscript(sub) => is_session(&sub.value) && key_is_identity(&sub.slice),
                Expr::Call(call) => match &*call.func {
                    Expr::Attribute(attr) if attr.attr.as_str() == "get" => {
                        (is_session(&attr.value)
                            && call.arguments.args.first().is_some_and(key_is_identity))
                            || call.arguments.args.first().is_some_and(|a| {
                                matches!(a, Expr::StringLiteral(s) if s.value.to_str().eq_ignore_ascii_case("authorization"))
                            })
                    }
                    _ => is_identity_call(call),
                },
                Expr::Compare(cmp) => {
                    cmp.ops.iter().any(|op| matches!(op, CmpOp::In | CmpOp::NotIn))
                        && cmp.comparators.iter().any(is_session)
                        && key_is_identity(&cmp.left)
                }
                _ => false,
            };
            if hit {
                self.0 = true;
                return;
            }
            walk_expr(self, expr);
        }
    }
    let mut reads = Reads::default();
    reads.visit_expr(expr);
    reads.0
}

/// `session` (Flask's session object, by name).
fn is_session(expr: &Expr) -> bool {
    matches!(expr, Expr::Name(n) if n.id.as_str() == "session")
}

/// A session key that holds the identity: `"user_id"`, `"logged_in"`, `"username"`.
fn key_is_identity(expr: &Expr) -> bool {
    matches!(expr, Expr::StringLiteral(s) if identity_word(s.value.to_str()))
}

/// Whether a name speaks of the user or the login.
fn identity_word(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "user", "logged", "login", "auth", "account", "uid", "admin", "identity", "member",
    ]
    .iter()
    .any(|w| lower.contains(w))
}
