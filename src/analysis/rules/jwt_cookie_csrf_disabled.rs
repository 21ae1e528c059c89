//! FH109 `jwt-cookie-csrf-disabled`: Flask-JWT-Extended cookie tokens without
//! their CSRF protection (`JWT_COOKIE_CSRF_PROTECT = False` while tokens are
//! read from cookies) or sent over plain http (`JWT_COOKIE_SECURE = False`).

use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::checker::Checker;
use crate::analysis::codes::Rule;
use crate::analysis::config_values::{ConfigSetting, is_falsy_literal, settings_in_call};
use crate::analysis::diagnostic::{Diagnostic, Edit, Fix};
use crate::analysis::imports::ensure_import;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;

/// The rule's documentation, printed by `flask-harden rule FH109`.
pub const DOC: &str = r#"## What it does
Finds Flask-JWT-Extended cookie tokens left without protection outside
development and test configuration:
- `JWT_COOKIE_CSRF_PROTECT = False` when the tokens are read from cookies
  (`JWT_TOKEN_LOCATION` includes `"cookies"`; the override is reported too
  when the module does not set `JWT_TOKEN_LOCATION` to a list without cookies);
- `JWT_COOKIE_SECURE = False`.

Every configuration form counts (module or class attribute, `app.config[...]`,
`update(...)`, `from_mapping(...)`).

## Why is this bad?
A browser sends cookies with every request to the site, also when another site
triggers it. Flask-JWT-Extended defends cookie tokens against that cross-site
request forgery with a double-submit token (`X-CSRF-TOKEN`); with
`JWT_COOKIE_CSRF_PROTECT = False` any page the user visits can post to the API
as the user. `JWT_COOKIE_SECURE = False` lets the browser send the access and
refresh tokens over plain http, where anyone on the network can read them.

## Example
```python
app.config["JWT_TOKEN_LOCATION"] = ["cookies"]
app.config["JWT_COOKIE_CSRF_PROTECT"] = False
app.config["JWT_COOKIE_SECURE"] = False
```

Use instead:
```python
app.config["JWT_TOKEN_LOCATION"] = ["cookies"]
app.config["JWT_COOKIE_CSRF_PROTECT"] = True
app.config["JWT_COOKIE_SECURE"] = os.environ.get("JWT_COOKIE_SECURE", "1") == "1"
```

## Fix safety
The fix is safe. `JWT_COOKIE_CSRF_PROTECT = False` becomes `True`, the
extension's default; clients then send the `csrf_access_token` cookie's value
in the `X-CSRF-TOKEN` header on state-changing requests, as Flask-JWT-Extended
documents (a development or testing config class keeps its own value).
`JWT_COOKIE_SECURE = False` becomes
`os.environ.get("JWT_COOKIE_SECURE", "1") == "1"` (adding `import os`): secure
unless the environment says `JWT_COOKIE_SECURE=0`, which a developer serving
plain http locally sets in an untracked `.env`.

## References
- CWE-352: Cross-Site Request Forgery (CSRF), https://cwe.mitre.org/data/definitions/352.html
- CWE-614: Sensitive Cookie in HTTPS Session Without 'Secure' Attribute, https://cwe.mitre.org/data/definitions/614.html
- OWASP Top 10 A01:2021 Broken Access Control, https://owasp.org/Top10/A01_2021-Broken_Access_Control/
- Flask-JWT-Extended: JWT in Cookies, https://flask-jwt-extended.readthedocs.io/en/stable/token_locations.html#cookies
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "jwt-cookie-csrf-disabled",
    fix: FixAvailability::Safe,
    cwe: "CWE-352",
    owasp: "A01:2021",
    owasp_title: "Broken Access Control",
    summary: "Flask-JWT-Extended cookie tokens without CSRF protection or the Secure flag",
    doc: Some(DOC),
    hooks: Hooks {
        setting: Some(check_setting),
        ..Hooks::NONE
    },
};

/// `JWT_COOKIE_CSRF_PROTECT = False` / `JWT_COOKIE_SECURE = False` in any
/// configuration form.
pub(crate) fn check_setting(checker: &mut Checker, setting: &ConfigSetting) {
    let key = setting.key;
    if !matches!(key, "JWT_COOKIE_CSRF_PROTECT" | "JWT_COOKIE_SECURE")
        || !is_falsy_literal(setting.value)
        || checker.in_development_context()
    {
        return;
    }
    let value = setting.value.range();
    let (message, fix) = if key == "JWT_COOKIE_CSRF_PROTECT" {
        if !may_read_cookies(checker.parsed().suite()) {
            return;
        }
        (
            "`JWT_COOKIE_CSRF_PROTECT = False` removes Flask-JWT-Extended's CSRF check on cookie tokens: any site the user visits can send state-changing requests as the user. Remove the override (send the `csrf_access_token` value in `X-CSRF-TOKEN`) and keep it off only in a testing config".to_owned(),
            Fix::safe(
                "Set JWT_COOKIE_CSRF_PROTECT to True (Flask-JWT-Extended's default)",
                vec![Edit::replacement("True", value)],
            ),
        )
    } else {
        let mut edits = vec![Edit::replacement(
            r#"os.environ.get("JWT_COOKIE_SECURE", "1") == "1""#,
            value,
        )];
        edits.extend(ensure_import(checker.module(), "os"));
        (
            "`JWT_COOKIE_SECURE = False` lets the browser send the JWT cookies over plain http, where the network can read them. Read it from the environment, secure by default".to_owned(),
            Fix::safe(
                "Read JWT_COOKIE_SECURE from the environment, secure unless JWT_COOKIE_SECURE=0",
                edits,
            )
            .reading_env("JWT_COOKIE_SECURE"),
        )
    };
    checker.report(
        Diagnostic::new(
            Rule::JwtCookieCsrfDisabled,
            setting.finding_range(),
            message,
        )
        .with_fix(fix),
    );
}

/// Whether tokens may be read from cookies: the module sets
/// `JWT_TOKEN_LOCATION` to something holding `"cookies"`, to something that is
/// not a literal, or does not set it at all (it may be set elsewhere; nobody
/// turns the cookie CSRF check off without cookies).
fn may_read_cookies(suite: &[Stmt]) -> bool {
    let mut finder = LocationFinder::default();
    finder.visit_body(suite);
    finder.cookies || !finder.without_cookies
}

/// Collects what `JWT_TOKEN_LOCATION` is set to in a module.
#[derive(Default)]
struct LocationFinder {
    /// A value that holds `"cookies"` or is not a literal.
    cookies: bool,
    /// A literal value without `"cookies"`.
    without_cookies: bool,
}

impl LocationFinder {
    fn record(&mut self, value: &Expr) {
        let strings: Vec<&str> = match value {
            Expr::StringLiteral(s) => vec![s.value.to_str()],
            Expr::List(list) => list
                .elts
                .iter()
                .filter_map(|e| match e {
                    Expr::StringLiteral(s) => Some(s.value.to_str()),
                    _ => None,
                })
                .collect(),
            Expr::Tuple(tuple) => tuple
                .elts
                .iter()
                .filter_map(|e| match e {
                    Expr::StringLiteral(s) => Some(s.value.to_str()),
                    _ => None,
                })
                .collect(),
            _ => {
                self.cookies = true;
                return;
            }
        };
        if strings.contains(&"cookies") {
            self.cookies = true;
        } else {
            self.without_cookies = true;
        }
    }
}

impl<'a> Visitor<'a> for LocationFinder {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::Assign(assign) = stmt {
            for target in &assign.targets {
                let named = match target {
                    Expr::Name(name) => name.id.as_str() == "JWT_TOKEN_LOCATION",
                    Expr::Subscript(sub) => matches!(
                        &*sub.slice,
                        Expr::StringLiteral(s) if s.value.to_str() == "JWT_TOKEN_LOCATION"
                    ),
                    _ => false,
                };
                if named {
                    self.record(&assign.value);
                }
            }
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            for setting in settings_in_call(call) {
                if setting.key == "JWT_TOKEN_LOCATION" {
                    self.record(setting.value);
                }
            }
        }
        walk_expr(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::may_read_cookies;
    use crate::analysis::parse::parse_python;

    #[test]
    fn token_location_decides_the_csrf_finding() {
        for (code, expected) in [
            ("JWT_COOKIE_CSRF_PROTECT = False\n", true),
            (
                "JWT_TOKEN_LOCATION = ['headers', 'cookies']\nJWT_COOKIE_CSRF_PROTECT = False\n",
                true,
            ),
            (
                "app.config['JWT_TOKEN_LOCATION'] = ['headers']\napp.config['JWT_COOKIE_CSRF_PROTECT'] = False\n",
                false,
            ),
            (
                "app.config.update(JWT_TOKEN_LOCATION='headers', JWT_COOKIE_CSRF_PROTECT=False)\n",
                false,
            ),
            (
                "app.config['JWT_TOKEN_LOCATION'] = locations()\napp.config['JWT_COOKIE_CSRF_PROTECT'] = False\n",
                true,
            ),
        ] {
            let module = parse_python(code);
            assert_eq!(may_read_cookies(module.suite()), expected, "{code}");
        }
    }
}
