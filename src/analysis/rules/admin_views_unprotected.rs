//! FH112 `admin-views-unprotected`: Flask-Admin views (`ModelView`,
//! `BaseView`, `AdminIndexView`, file admin) defined or instantiated without an
//! `is_accessible` check (or with one that always returns True).

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::checker::Checker;
use crate::analysis::codes::Rule;
use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;
use crate::analysis::rules::missing_authorization::checks_identity;

/// The rule's documentation, printed by `flask-harden rule FH112`.
pub const DOC: &str = r#"## What it does
Finds Flask-Admin views that anyone can open, outside development and test
configuration:
- a class derived from `ModelView` (any backend: `flask_admin.contrib.sqla`,
  `peewee`, `pymongo`, `mongoengine`), `BaseView`, `AdminIndexView` or
  `FileAdmin` that defines no `is_accessible` (nor `_handle_view`), directly
  or through a class of the same module, or whose `is_accessible` only
  returns True; a subclass of such a class is covered by the finding on it.
  A class whose pages check the login themselves (`if not
  current_user.is_authenticated: return redirect(...)`) is not reported;
- such a class instantiated directly, e.g. `admin.add_view(ModelView(User,
  db.session))` or `Admin(app, index_view=AdminIndexView())`.

A class whose other bases come from elsewhere (a mixin imported from another
module) is not reported: the mixin may supply the check.

## Why is this bad?
Flask-Admin views are public unless the view says otherwise: with no
`is_accessible`, anyone who finds `/admin/` can list, edit and delete every
row of the models it exposes (user accounts and password hashes included),
or browse and upload files with `FileAdmin`. A login form elsewhere in the
application does not protect them.

## Example
```python
from flask_admin.contrib.sqla import ModelView

class UserAdmin(ModelView):
    column_exclude_list = ["password_hash"]

admin.add_view(UserAdmin(User, db.session))
```

Use instead:
```python
from flask import redirect, request, url_for
from flask_admin.contrib.sqla import ModelView
from flask_login import current_user

class SecureModelView(ModelView):
    def is_accessible(self):
        return current_user.is_authenticated and current_user.has_role("admin")

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.url))

class UserAdmin(SecureModelView):
    column_exclude_list = ["password_hash"]
```

## Fix safety
Report only: who may administer the application (a role, a flag on the user,
HTTP basic auth in front of `/admin/`) is a decision of the application. Put
`is_accessible` (and `inaccessible_callback`) on one base class and derive
every admin view, the index view (`Admin(app, index_view=SecureIndexView())`)
included, from it.

## References
- CWE-284: Improper Access Control, https://cwe.mitre.org/data/definitions/284.html
- OWASP Top 10 A01:2021 Broken Access Control, https://owasp.org/Top10/A01_2021-Broken_Access_Control/
- Flask-Admin: Authorization & Permissions, https://flask-admin.readthedocs.io/en/latest/introduction/#authorization-permissions
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "admin-views-unprotected",
    fix: FixAvailability::None,
    cwe: "CWE-284",
    owasp: "A01:2021",
    owasp_title: "Broken Access Control",
    summary: "Flask-Admin views without an is_accessible check",
    doc: Some(DOC),
    hooks: Hooks {
        class: Some(check_class),
        call: Some(check_call),
        ..Hooks::NONE
    },
};

/// The Flask-Admin view classes (last segment of names under `flask_admin`).
const VIEW_CLASSES: &[&str] = &[
    "ModelView",
    "BaseModelView",
    "BaseView",
    "AdminIndexView",
    "FileAdmin",
    "BaseFileAdmin",
];

/// A class derived from a Flask-Admin view with no access check.
pub(crate) fn check_class(checker: &mut Checker, class: &ast::StmtClassDef) {
    if checker.in_development_context() {
        return;
    }
    let direct = class
        .bases()
        .iter()
        .any(|base| is_admin_view(checker, base));
    if !direct {
        return;
    }
    let suite = checker.parsed().suite();
    let Some(trivial) = unprotected(checker, suite, class, 0) else {
        return;
    };
    let name = class.name.as_str();
    let message = if trivial {
        format!(
            "Flask-Admin view `{name}` has an `is_accessible` that always returns True: anyone can open it and read or change the data it exposes. Return `current_user.is_authenticated` and an admin role check, and redirect in `inaccessible_callback`"
        )
    } else {
        format!(
            "Flask-Admin view `{name}` defines no `is_accessible`: anyone who finds /admin/ can read and change the data it exposes. Give it (or a base class every admin view derives from) `is_accessible` returning `current_user.is_authenticated` and an admin role check, and `inaccessible_callback` redirecting to the login page"
        )
    };
    checker.report(Diagnostic::new(
        Rule::AdminViewsUnprotected,
        class.name.range(),
        message,
    ));
}

/// `ModelView(User, db.session)`: a Flask-Admin view class instantiated as is.
pub(crate) fn check_call(checker: &mut Checker, call: &ast::ExprCall) {
    if !is_admin_view(checker, &call.func) || checker.in_development_context() {
        return;
    }
    let Some(qualified) = checker.semantic().resolve_qualified_name(&call.func) else {
        return;
    };
    let class = qualified.last().to_owned();
    let message = format!(
        "`{class}(...)` is a Flask-Admin view with no `is_accessible`: anyone who finds /admin/ can open it. Instantiate a subclass whose `is_accessible` returns `current_user.is_authenticated` and an admin role check"
    );
    checker.report(Diagnostic::new(
        Rule::AdminViewsUnprotected,
        call.func.range(),
        message,
    ));
}

/// Whether `expr` names a Flask-Admin view class.
fn is_admin_view(checker: &Checker, expr: &Expr) -> bool {
    let semantic = checker.semantic();
    let callee = match expr {
        Expr::Call(call) => &call.func,
        other => other,
    };
    if !semantic
        .last_segment(callee)
        .is_some_and(|last| VIEW_CLASSES.contains(&last))
    {
        return false;
    }
    semantic
        .resolve_qualified_name(expr)
        .is_some_and(|q| {
            q.segments().next() == Some("flask_admin") && VIEW_CLASSES.contains(&q.last())
        })
}

/// `Some(trivial)` when the class has no access check: none of its own
/// (`Some(false)`) or an `is_accessible` that returns True (`Some(true)`), and
/// every base is a Flask-Admin class, `object`, or a module class without one.
/// `None` when it, or a base, has a check, or a base is unknown.
fn unprotected(
    checker: &Checker,
    suite: &[Stmt],
    class: &ast::StmtClassDef,
    depth: usize,
) -> Option<bool> {
    if depth > 16 {
        return None;
    }
    let mut trivial = false;
    for stmt in &class.body {
        match stmt {
            Stmt::FunctionDef(function)
                if matches!(function.name.as_str(), "is_accessible" | "_handle_view") =>
            {
                if function.name.as_str() == "is_accessible" && returns_only_true(function) {
                    trivial = true;
                } else {
                    return None;
                }
            }
            // An exposed page that checks the login itself.
            Stmt::FunctionDef(function) if checks_identity(&function.body) => return None,
            Stmt::Assign(assign)
                if assign
                    .targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "is_accessible")) =>
            {
                return None;
            }
            _ => {}
        }
    }
    for base in class.bases() {
        if is_admin_view(checker, base) {
            continue;
        }
        let Expr::Name(name) = base else {
            return None;
        };
        if name.id.as_str() == "object" {
            continue;
        }
        let parent = suite.iter().find_map(|s| match s {
            Stmt::ClassDef(c) if c.name.as_str() == name.id.as_str() => Some(c),
            _ => None,
        })?;
        trivial |= unprotected(checker, suite, parent, depth + 1)?;
    }
    Some(trivial)
}

/// `def is_accessible(self): return True` (a docstring allowed).
fn returns_only_true(function: &ast::StmtFunctionDef) -> bool {
    let body: Vec<&Stmt> = function
        .body
        .iter()
        .filter(|s| {
            !matches!(s, Stmt::Expr(e) if matches!(&*e.value, Expr::StringLiteral(_)))
                && !matches!(s, Stmt::Pass(_))
        })
        .collect();
    matches!(
        body.as_slice(),
        [Stmt::Return(ret)] if matches!(ret.value.as_deref(), Some(Expr::BooleanLiteral(b)) if b.value)
    )
}
