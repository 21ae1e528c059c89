//! FH111 `session-protection-disabled`: Flask-Login's session protection
//! switched off (`login_manager.session_protection = None`,
//! `SESSION_PROTECTION = None`); the fix sets it back to `"basic"`, the
//! Flask-Login default.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::Checker;
use crate::analysis::codes::Rule;
use crate::analysis::config_values::ConfigSetting;
use crate::analysis::diagnostic::{Diagnostic, Edit, Fix};
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;

/// The rule's documentation, printed by `flask-harden rule FH111`.
pub const DOC: &str = r#"## What it does
Finds Flask-Login's session protection switched off outside development and
test configuration: `login_manager.session_protection = None` and the
`SESSION_PROTECTION = None` setting in any configuration form.

## Why is this bad?
Session protection ties a login session to an identifier of the client (a hash
of its address and user agent). With it off, a session cookie stolen from one
client (through XSS, a shared machine or a leaked log) keeps working, fresh,
from anywhere: views protected by `fresh_login_required` no longer ask for the
password again.

## Example
```python
login_manager = LoginManager()
login_manager.session_protection = None
```

Use instead:
```python
login_manager = LoginManager()
login_manager.session_protection = "basic"  # Flask-Login's default; "strong" for stricter apps
```

## Fix safety
The fix is safe: `None` becomes `"basic"`, the value Flask-Login uses when
nothing is set, so behaviour is exactly the default: when the client
identifier changes the session is marked non-fresh (views under
`fresh_login_required` ask for the password again) and a remember-me cookie
still logs the user in. `"strong"` is not chosen automatically: it deletes the
whole session when the identifier changes, which logs out users whose address
changes between requests (mobile networks, some proxies); choose it by hand
for applications that can afford that.

## References
- CWE-384: Session Fixation, https://cwe.mitre.org/data/definitions/384.html
- OWASP Top 10 A07:2021 Identification and Authentication Failures, https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/
- Flask-Login: Session Protection, https://flask-login.readthedocs.io/en/latest/#session-protection
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "session-protection-disabled",
    fix: FixAvailability::Safe,
    cwe: "CWE-384",
    owasp: "A07:2021",
    owasp_title: "Identification and Authentication Failures",
    summary: "Flask-Login session protection switched off",
    doc: Some(DOC),
    hooks: Hooks {
        assign: Some(check_stmt),
        setting: Some(check_setting),
        ..Hooks::NONE
    },
};

/// `SESSION_PROTECTION = None` in any configuration form.
pub(crate) fn check_setting(checker: &mut Checker, setting: &ConfigSetting) {
    if setting.key != "SESSION_PROTECTION"
        || !matches!(setting.value, Expr::NoneLiteral(_))
        || checker.in_development_context()
    {
        return;
    }
    report(
        checker,
        setting.finding_range(),
        setting.value.range(),
        "`SESSION_PROTECTION = None`",
    );
}

/// `login_manager.session_protection = None`.
pub(crate) fn check_stmt(checker: &mut Checker, stmt: &Stmt) {
    let Stmt::Assign(assign) = stmt else { return };
    if !matches!(&*assign.value, Expr::NoneLiteral(_)) || checker.in_development_context() {
        return;
    }
    let assigns_protection = assign
        .targets
        .iter()
        .any(|t| matches!(t, Expr::Attribute(a) if a.attr.as_str() == "session_protection"));
    if !assigns_protection {
        return;
    }
    report(
        checker,
        assign.value.range(),
        assign.value.range(),
        "`session_protection = None`",
    );
}

/// Reports at `range` with the fix replacing the `None` at `value`.
fn report(checker: &mut Checker, range: TextRange, value: TextRange, written: &str) {
    let message = format!(
        "{written} turns off Flask-Login's session protection: a stolen session cookie keeps working, fresh, from any client. Remove the override or set \"basic\" (the default) or \"strong\""
    );
    let fix = Fix::safe(
        "Set session protection to \"basic\", Flask-Login's default",
        vec![Edit::replacement("\"basic\"", value)],
    );
    checker.report(Diagnostic::new(Rule::SessionProtectionDisabled, range, message).with_fix(fix));
}
