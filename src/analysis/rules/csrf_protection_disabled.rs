//! FH106 `csrf-protection-disabled`: Flask-WTF CSRF protection switched off
//! (`WTF_CSRF_ENABLED = False`, `WTF_CSRF_CHECK_DEFAULT = False`).

use ruff_text_size::Ranged;

use crate::analysis::autofix::on_unless_testing;
use crate::analysis::checker::Checker;
use crate::analysis::config_values::{ConfigSetting, is_falsy_literal};
use crate::analysis::diagnostic::{Diagnostic, Edit, Fix};
use crate::analysis::registry::Rule;

/// The rule's documentation, printed by `flask-harden rule FH106`.
pub const DOC: &str = r#"## What it does
Finds Flask-WTF CSRF protection switched off outside test code and development
configuration: `WTF_CSRF_ENABLED = False` and `WTF_CSRF_CHECK_DEFAULT = False`
in any configuration form (module or class attribute, `app.config[...]`,
`update(...)`, `from_mapping(...)`).

## Why is this bad?
Without CSRF tokens any website the user visits can submit forms to the
application with the user's cookies: change their e-mail or password, transfer
money, delete data. `WTF_CSRF_CHECK_DEFAULT = False` turns the global check off,
so every view that does not call `csrf.protect()` itself is exposed.

## Example
```python
class Config:
    WTF_CSRF_ENABLED = False
```

Use instead:
```python
class Config:
    pass  # Flask-WTF protects every form by default

class TestingConfig(Config):
    WTF_CSRF_ENABLED = False  # tests only
```

## Fix safety
The fix is safe: it turns the setting back on, except while the application
is under test: the value becomes `LocalProxy(lambda: not current_app.testing)`,
which Flask-WTF reads on every request, so a test suite that posts without
CSRF tokens keeps passing (as Flask-WTF advises for test configurations).
Views that must accept cross-site posts, such as webhooks or a token-authenticated
JSON API blueprint, should be exempted one by one with `@csrf.exempt`.

## References
- CWE-352: Cross-Site Request Forgery (CSRF), https://cwe.mitre.org/data/definitions/352.html
- OWASP Top 10 A01:2021 Broken Access Control, https://owasp.org/Top10/A01_2021-Broken_Access_Control/
- Flask-WTF: CSRF Protection, https://flask-wtf.readthedocs.io/en/stable/csrf/
"#;

/// `WTF_CSRF_ENABLED = False` / `WTF_CSRF_CHECK_DEFAULT = False` in any
/// configuration form.
pub(crate) fn check_setting(checker: &mut Checker, setting: &ConfigSetting) {
    let key = setting.key;
    if !matches!(key, "WTF_CSRF_ENABLED" | "WTF_CSRF_CHECK_DEFAULT")
        || !is_falsy_literal(setting.value)
        || checker.in_development_context()
    {
        return;
    }
    let what = if key == "WTF_CSRF_ENABLED" {
        "turns off Flask-WTF's CSRF protection"
    } else {
        "turns off the global CSRF check, leaving every view unprotected"
    };
    let message = format!(
        "`{key} = False` {what}: other sites can submit forms with your users' cookies. Remove the override (keep it only in a testing config) and exempt single views with `@csrf.exempt` if needed"
    );
    // On again, except while the app is under test (as Flask-WTF advises for
    // test configurations), so existing tests that post without tokens pass.
    let (on, mut edits) = on_unless_testing(checker);
    edits.push(Edit::replacement(on, setting.value.range()));
    let fix = Fix::safe(
        format!("Turn {key} back on (CSRF protection on, except while app.testing)"),
        edits,
    );
    checker.report(
        Diagnostic::new(
            Rule::CsrfProtectionDisabled,
            setting.finding_range(),
            message,
        )
        .with_fix(fix),
    );
}
