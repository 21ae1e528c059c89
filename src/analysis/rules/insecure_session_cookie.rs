//! FH105 `insecure-session-cookie`: session and remember-me cookies without
//! `Secure`, `HttpOnly` or `SameSite`, in configuration or in `set_cookie(...)`.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use crate::analysis::autofix::append_arguments;
use crate::analysis::checker::Checker;
use crate::analysis::codes::Rule;
use crate::analysis::config_values::{ConfigSetting, is_falsy_literal};
use crate::analysis::diagnostic::{Diagnostic, Edit, Fix};
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;

/// The rule's documentation, printed by `flask-harden rule FH105`.
pub const DOC: &str = r#"## What it does
Finds cookies that browsers will send over plain HTTP, expose to JavaScript or
attach to cross-site requests: `SESSION_COOKIE_SECURE = False`,
`REMEMBER_COOKIE_SECURE = False`, `SESSION_COOKIE_HTTPONLY = False` (and
`REMEMBER_COOKIE_HTTPONLY`), `SESSION_COOKIE_SAMESITE = None` (and
`REMEMBER_COOKIE_SAMESITE`), in any configuration form, and
`response.set_cookie(...)` calls without `secure=True`, `httponly=True` and a
`samesite` value. Development configuration and test code are exempt.

## Why is this bad?
Without `Secure` the session cookie leaks over any plain-HTTP request (a
downgrade or a mixed-content link) and can be stolen on the network. Without
`HttpOnly` any XSS reads it with `document.cookie`. Without `SameSite` the
browser attaches it to cross-site requests, which enables CSRF.

## Example
```python
SESSION_COOKIE_SECURE = False
resp.set_cookie("token", token)
```

Use instead:
```python
SESSION_COOKIE_SECURE = True
resp.set_cookie("token", token, secure=True, httponly=True, samesite="Lax")
```

## Fix safety
For configuration values the fix is safe: it sets `True` (or `"Lax"` for
SameSite), which is what production needs. For `set_cookie` the fix is unsafe:
it adds `secure=True, httponly=True, samesite="Lax"`, and front-end code that
reads the cookie from JavaScript, or a site served over plain HTTP, stops
receiving it.

## References
- CWE-614: Sensitive Cookie in HTTPS Session Without 'Secure' Attribute, https://cwe.mitre.org/data/definitions/614.html
- CWE-1004: Sensitive Cookie Without 'HttpOnly' Flag, https://cwe.mitre.org/data/definitions/1004.html
- OWASP Top 10 A05:2021 Security Misconfiguration, https://owasp.org/Top10/A05_2021-Security_Misconfiguration/
- Flask: Security Considerations, Set-Cookie options, https://flask.palletsprojects.com/en/stable/web-security/#set-cookie-options
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "insecure-session-cookie",
    fix: FixAvailability::SafeOrUnsafe,
    cwe: "CWE-614",
    owasp: "A05:2021",
    owasp_title: "Security Misconfiguration",
    summary: "Session or remember-me cookies without Secure, HttpOnly or SameSite",
    doc: Some(DOC),
    hooks: Hooks {
        call: Some(check_call),
        setting: Some(check_setting),
        ..Hooks::NONE
    },
};

/// `set_cookie(...)` without the secure attributes.
pub(crate) fn check_call(checker: &mut Checker, call: &ast::ExprCall) {
    if checker.in_development_context() {
        return;
    }
    check_set_cookie(checker, call);
}

/// Insecure cookie settings in any configuration form.
pub(crate) fn check_setting(checker: &mut Checker, setting: &ConfigSetting) {
    if checker.in_development_context() {
        return;
    }
    let key = setting.key;
    let (bad, replacement, what) = match key {
        "SESSION_COOKIE_SECURE" | "REMEMBER_COOKIE_SECURE" => (
            is_falsy_literal(setting.value),
            "True",
            "is sent over plain HTTP too, where it can be stolen on the network",
        ),
        "SESSION_COOKIE_HTTPONLY" | "REMEMBER_COOKIE_HTTPONLY" => (
            is_falsy_literal(setting.value),
            "True",
            "can be read by JavaScript, so any XSS steals it",
        ),
        "SESSION_COOKIE_SAMESITE" | "REMEMBER_COOKIE_SAMESITE" => (
            matches!(setting.value, Expr::NoneLiteral(_))
                || matches!(setting.value, Expr::StringLiteral(s) if s.value.to_str().eq_ignore_ascii_case("none")),
            "\"Lax\"",
            "is attached to cross-site requests, which enables CSRF",
        ),
        _ => return,
    };
    if !bad {
        return;
    }
    let value = checker.source().slice(setting.value.range()).to_owned();
    let message = format!(
        "`{key}` is `{value}`: the cookie {what}. Set `{key} = {replacement}` outside development configuration"
    );
    let fix = Fix::safe(
        format!("Set {key} to {replacement}"),
        vec![Edit::replacement(replacement, setting.value.range())],
    );
    checker.report(
        Diagnostic::new(
            Rule::InsecureSessionCookie,
            setting.finding_range(),
            message,
        )
        .with_fix(fix),
    );
}

fn check_set_cookie(checker: &mut Checker, call: &ast::ExprCall) {
    let Expr::Attribute(attr) = &*call.func else {
        return;
    };
    if attr.attr.as_str() != "set_cookie" {
        return;
    }
    // `self.set_cookie(...)` wraps the real call; a cookie jar's
    // `jar.set_cookie(cookie)` takes a cookie object, not a response cookie.
    let receiver = match &*attr.value {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(inner) => inner.attr.as_str(),
        _ => "",
    };
    if receiver == "self" || receiver.to_ascii_lowercase().contains("jar") {
        return;
    }
    let arguments = &call.arguments;
    if arguments.keywords.is_empty()
        && arguments.args.len() == 1
        && !arguments.args[0].is_string_literal_expr()
    {
        return;
    }
    // A CSRF double-submit cookie must be readable by scripts.
    let is_csrf_cookie = arguments
        .find_argument_value("key", 0)
        .is_some_and(|key| names_csrf(checker.source().slice(key.range())));
    if arguments.keywords.iter().any(|k| k.arg.is_none())
        || arguments.args.iter().any(Expr::is_starred_expr)
    {
        return;
    }
    // Positional order of werkzeug's set_cookie: key, value, max_age, expires,
    // path, domain, secure, httponly, samesite.
    let value_of = |name: &str, position: usize| arguments.find_argument_value(name, position);
    let mut missing = Vec::new();
    let mut edits = Vec::new();
    for (name, position, good) in [
        ("secure", 6, "True"),
        ("httponly", 7, "True"),
        ("samesite", 8, "\"Lax\""),
    ] {
        if name == "httponly" && is_csrf_cookie {
            continue;
        }
        match value_of(name, position) {
            None => {
                missing.push(name);
                edits.push(format!("{name}={good}"));
            }
            Some(value) => {
                let insecure = if name == "samesite" {
                    matches!(value, Expr::NoneLiteral(_))
                        || matches!(value, Expr::StringLiteral(s) if s.value.to_str().eq_ignore_ascii_case("none"))
                } else {
                    is_falsy_literal(value)
                };
                if insecure {
                    missing.push(name);
                }
            }
        }
    }
    if missing.is_empty() {
        return;
    }
    let mut fix_edits = Vec::new();
    if !edits.is_empty() {
        fix_edits.push(append_arguments(arguments, &edits.join(", ")));
    }
    for (name, good) in [
        ("secure", "True"),
        ("httponly", "True"),
        ("samesite", "\"Lax\""),
    ] {
        if let Some(keyword) = arguments.find_keyword(name)
            && missing.contains(&name)
        {
            fix_edits.push(Edit::replacement(good, keyword.value.range()));
        }
    }
    let list = missing
        .iter()
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let message = format!(
        "`set_cookie(...)` lacks a safe {list}: the cookie can leak over HTTP, be read by scripts or ride on cross-site requests. Pass `secure=True, httponly=True, samesite=\"Lax\"`"
    );
    let fix = Fix::unsafe_(
        "Add secure=True, httponly=True, samesite=\"Lax\" to set_cookie",
        fix_edits,
    );
    checker
        .report(Diagnostic::new(Rule::InsecureSessionCookie, call.range(), message).with_fix(fix));
}

/// Whether a cookie name (as written) is a CSRF token cookie.
fn names_csrf(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("csrf") || lower.contains("xsrf")
}
