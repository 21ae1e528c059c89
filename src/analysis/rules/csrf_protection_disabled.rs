//! FH106 `csrf-protection-disabled`: Flask-WTF CSRF protection switched off
//! (`WTF_CSRF_ENABLED = False`, `WTF_CSRF_CHECK_DEFAULT = False`); the fix
//! removes the override and keeps it off in the development and testing
//! config classes that inherited it.

use ruff_python_ast::visitor::{Visitor, walk_expr};
use ruff_python_ast::{self as ast, ArgOrKeyword, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};
use rustc_hash::FxHashMap;

use crate::analysis::autofix::{delete_current_statement, insert_after_statement};
use crate::analysis::checker::Checker;
use crate::analysis::codes::Rule;
use crate::analysis::config_values::{
    ConfigSetting, SettingForm, is_falsy_literal, is_truthy_literal,
};
use crate::analysis::diagnostic::{Diagnostic, Edit, Fix};
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;
use crate::analysis::semantic::is_development_name;

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
The fix is safe: it removes the override (the assignment, the keyword
argument, the dict entry or the `config[...]` statement), so Flask-WTF's
default, protection on, applies again. A development or testing config class
of the same module (`TestingConfig`, `DevConfig`, ...) that inherits, directly
or through other classes, from the class losing the override and does not set
`WTF_CSRF_ENABLED` itself gets `WTF_CSRF_ENABLED = False`, so a test suite that
posts without CSRF tokens keeps passing. Test code that builds its
configuration otherwise (a conftest or `create_app({"TESTING": True})`) should
set `WTF_CSRF_ENABLED = False` itself, as Flask-WTF advises: `TESTING` alone
does not turn CSRF off. Views that must accept cross-site posts, such as
webhooks or a token-authenticated JSON API blueprint, should be exempted one by
one with `@csrf.exempt` / `csrf.exempt(blueprint)`.

## References
- CWE-352: Cross-Site Request Forgery (CSRF), https://cwe.mitre.org/data/definitions/352.html
- OWASP Top 10 A01:2021 Broken Access Control, https://owasp.org/Top10/A01_2021-Broken_Access_Control/
- Flask-WTF: CSRF Protection, https://flask-wtf.readthedocs.io/en/stable/csrf/
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "csrf-protection-disabled",
    fix: FixAvailability::Safe,
    cwe: "CWE-352",
    owasp: "A01:2021",
    owasp_title: "Broken Access Control",
    summary: "Flask-WTF CSRF protection switched off outside test code",
    doc: Some(DOC),
    hooks: Hooks {
        settings: Some(check_settings),
        ..Hooks::NONE
    },
};

/// The settings of one statement or call, unless they are test configuration:
/// `update(TESTING=True, WTF_CSRF_ENABLED=False)` / `from_mapping({...})`, one
/// mapping that turns testing on.
fn check_settings(checker: &mut Checker, settings: &[ConfigSetting]) {
    let testing_mapping = settings.iter().any(|s| {
        matches!(s.form, SettingForm::Keyword | SettingForm::DictEntry)
            && s.key == "TESTING"
            && is_truthy_literal(s.value)
    });
    if testing_mapping {
        return;
    }
    for setting in settings {
        check_setting(checker, setting);
    }
}

/// `WTF_CSRF_ENABLED = False` / `WTF_CSRF_CHECK_DEFAULT = False` in any
/// configuration form.
fn check_setting(checker: &mut Checker, setting: &ConfigSetting) {
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
    let mut diagnostic = Diagnostic::new(
        Rule::CsrfProtectionDisabled,
        setting.finding_range(),
        message,
    );
    if let Some(mut edits) = removal(checker, setting) {
        let kept_off = kept_off_in_development_classes(checker, setting);
        let mut what = format!("Remove the {key} override (CSRF protection on again)");
        if !kept_off.is_empty() {
            let names: Vec<&str> = kept_off.iter().map(|(name, _)| *name).collect();
            what.push_str(&format!(
                "; {} keep{} it off with WTF_CSRF_ENABLED = False",
                names.join(", "),
                if names.len() == 1 { "s" } else { "" }
            ));
        }
        edits.extend(kept_off.into_iter().map(|(_, edit)| edit));
        diagnostic = diagnostic.with_fix(Fix::safe(what, edits));
    }
    checker.report(diagnostic);
}

/// The edits that remove the setting, leaving valid code: the statement for
/// `NAME = False` / `config["NAME"] = False` / a standalone
/// `config.setdefault(...)`; the keyword or the dict entry (with its comma)
/// otherwise, or the whole statement when it was the call's only content.
/// `None` when no removal is certain to keep the code valid.
fn removal(checker: &Checker, setting: &ConfigSetting) -> Option<Vec<Edit>> {
    let stmt = checker.semantic().current_statement()?;
    match setting.form {
        SettingForm::ModuleVariable
        | SettingForm::ClassAttribute
        | SettingForm::Subscript
        | SettingForm::ObjectAttribute => {
            let single_target = match stmt {
                Stmt::Assign(assign) => assign.targets.len() == 1,
                Stmt::AnnAssign(_) => true,
                _ => false,
            };
            single_target.then(|| vec![remove_statement(checker, stmt)])
        }
        SettingForm::SetDefault => {
            let Stmt::Expr(expr) = stmt else {
                return None;
            };
            expr.value
                .range()
                .contains_range(setting.key_range)
                .then(|| vec![remove_statement(checker, stmt)])
        }
        SettingForm::Keyword | SettingForm::DictEntry => {
            let mut finder = ListFinder {
                key: setting.key_range,
                found: None,
            };
            finder.visit_stmt(stmt);
            let list = finder.found?;
            if list.items.len() == 1 && is_whole_statement_call(stmt, list.container) {
                return Some(vec![remove_statement(checker, stmt)]);
            }
            Some(vec![remove_item(checker.source().text(), &list)])
        }
    }
}

/// Deletes the statement's lines when that is certain to leave valid code,
/// else replaces it with `pass`. In a body where every statement is such an
/// override (removed by findings of their own), the first one becomes `pass`
/// and the others go, so that all the removals together still parse.
fn remove_statement(checker: &Checker, stmt: &Stmt) -> Edit {
    let pass = || Edit::replacement("pass", stmt.range());
    let body: &[Stmt] = match checker.semantic().parent_statement() {
        None => checker.parsed().suite(),
        Some(Stmt::ClassDef(class)) => &class.body,
        Some(Stmt::FunctionDef(function)) => &function.body,
        Some(_) => return pass(),
    };
    if body.iter().all(is_override)
        && body
            .first()
            .is_some_and(|first| first.range() == stmt.range())
    {
        return pass();
    }
    delete_current_statement(checker.module()).unwrap_or_else(pass)
}

/// `WTF_CSRF_ENABLED = False` or `WTF_CSRF_CHECK_DEFAULT = False` (any falsy literal).
fn is_override(stmt: &Stmt) -> bool {
    assigned(stmt).is_some_and(|(name, value)| {
        matches!(name, "WTF_CSRF_ENABLED" | "WTF_CSRF_CHECK_DEFAULT") && is_falsy_literal(value)
    })
}

/// Whether `container` (a call, or a dict) is the call the statement consists
/// of, or that call's only argument.
fn is_whole_statement_call(stmt: &Stmt, container: TextRange) -> bool {
    let Stmt::Expr(expr) = stmt else {
        return false;
    };
    let Expr::Call(call) = &*expr.value else {
        return false;
    };
    call.range() == container
        || (call.arguments.len() == 1
            && call
                .arguments
                .args
                .first()
                .is_some_and(|a| a.range() == container))
}

/// A comma-separated list (call arguments or dict items) and the item to remove.
struct ItemList {
    /// The call or the dict.
    container: TextRange,
    /// Every item's range, in source order (`**x` included).
    items: Vec<TextRange>,
    /// The index of the item to remove.
    index: usize,
}

/// Finds the argument list or dict holding the keyword or key at `key`.
struct ListFinder {
    key: TextRange,
    found: Option<ItemList>,
}

impl<'a> Visitor<'a> for ListFinder {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found.is_some() {
            return;
        }
        match expr {
            Expr::Call(call) => {
                let items: Vec<TextRange> = call
                    .arguments
                    .iter_source_order()
                    .map(|a| a.range())
                    .collect();
                let index = call.arguments.iter_source_order().position(|a| {
                    matches!(a, ArgOrKeyword::Keyword(k) if k.arg.as_ref().is_some_and(|arg| arg.range() == self.key))
                });
                if let Some(index) = index {
                    self.found = Some(ItemList {
                        container: call.range(),
                        items,
                        index,
                    });
                    return;
                }
            }
            Expr::Dict(dict) => {
                let index = dict
                    .items
                    .iter()
                    .position(|item| item.key.as_ref().is_some_and(|k| k.range() == self.key));
                if let Some(index) = index {
                    let items = dict
                        .items
                        .iter()
                        .map(|item| match &item.key {
                            Some(_) => item.range(),
                            // `**mapping`: the range starts at `mapping`.
                            None => TextRange::new(
                                item.value.start() - TextSize::from(2),
                                item.value.end(),
                            ),
                        })
                        .collect();
                    self.found = Some(ItemList {
                        container: dict.range(),
                        items,
                        index,
                    });
                    return;
                }
            }
            _ => {}
        }
        walk_expr(self, expr);
    }
}

/// Deletes one item of a comma-separated list with one comma: up to the next
/// item (which takes its place and indentation), or, for the last item, from
/// the end of the previous one; a lone item goes with its trailing comma.
fn remove_item(text: &str, list: &ItemList) -> Edit {
    let item = list.items[list.index];
    if let Some(next) = list.items.get(list.index + 1) {
        return Edit::deletion(TextRange::new(item.start(), next.start()));
    }
    if list.index > 0 {
        return Edit::deletion(TextRange::new(list.items[list.index - 1].end(), item.end()));
    }
    let rest = &text[item.end().to_usize()..];
    let trimmed = rest.trim_start();
    let end = if trimmed.starts_with(',') {
        item.end() + TextSize::try_from(rest.len() - trimmed.len() + 1).unwrap_or_default()
    } else {
        item.end()
    };
    Edit::deletion(TextRange::new(item.start(), end))
}

/// For a class attribute: each development or testing config class of the
/// module that inherits it (directly or through classes that do not set the
/// switch) and does not set `WTF_CSRF_ENABLED` itself, with the edit adding
/// `WTF_CSRF_ENABLED = False` at the end of its body.
fn kept_off_in_development_classes<'a>(
    checker: &Checker<'a>,
    setting: &ConfigSetting,
) -> Vec<(&'a str, Edit)> {
    if setting.form != SettingForm::ClassAttribute {
        return Vec::new();
    }
    let Some(losing) = checker.semantic().class_body() else {
        return Vec::new();
    };
    let keys = ["WTF_CSRF_ENABLED", setting.key];
    // Both switches off in one class: the WTF_CSRF_ENABLED finding adds it.
    if setting.key != "WTF_CSRF_ENABLED" && sets_falsy(losing, "WTF_CSRF_ENABLED") {
        return Vec::new();
    }
    let classes: FxHashMap<&str, &ast::StmtClassDef> = checker
        .parsed()
        .suite()
        .iter()
        .filter_map(|s| match s {
            Stmt::ClassDef(class) => Some((class.name.as_str(), class)),
            _ => None,
        })
        .collect();
    if classes
        .get(losing.name.as_str())
        .is_none_or(|c| c.range() != losing.range())
    {
        return Vec::new();
    }
    let source = checker.source();
    classes
        .values()
        .filter(|class| {
            class.name.as_str() != losing.name.as_str()
                && is_development_name(&class.name)
                && !sets_any(class, &keys)
                && inherits_setting(&classes, class, losing.name.as_str(), &keys, 0)
        })
        .filter_map(|class| {
            let last = class.body.last()?;
            // A one-line class (`class T(Config): pass`) has no body indentation to copy.
            let header_line = source.line_col(class.start()).line;
            if source.line_col(class.body.first()?.start()).line == header_line {
                return None;
            }
            let edit = insert_after_statement(checker.module(), last, "WTF_CSRF_ENABLED = False")?;
            Some((class.name.as_str(), edit))
        })
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_iter()
        .collect()
}

/// Whether `class` reaches `target` through its bases (module classes only)
/// without passing a class that sets one of `keys`.
fn inherits_setting(
    classes: &FxHashMap<&str, &ast::StmtClassDef>,
    class: &ast::StmtClassDef,
    target: &str,
    keys: &[&str],
    depth: usize,
) -> bool {
    if depth > 32 {
        return false;
    }
    class.bases().iter().any(|base| {
        let Expr::Name(name) = base else {
            return false;
        };
        if name.id.as_str() == target {
            return true;
        }
        classes.get(name.id.as_str()).is_some_and(|parent| {
            !sets_any(parent, keys) && inherits_setting(classes, parent, target, keys, depth + 1)
        })
    })
}

/// Whether the class body assigns any of `keys`.
fn sets_any(class: &ast::StmtClassDef, keys: &[&str]) -> bool {
    class
        .body
        .iter()
        .any(|stmt| assigned(stmt).is_some_and(|(name, _)| keys.contains(&name)))
}

/// Whether the class body assigns `key` a falsy literal.
fn sets_falsy(class: &ast::StmtClassDef, key: &str) -> bool {
    class
        .body
        .iter()
        .filter_map(assigned)
        .any(|(name, value)| name == key && is_falsy_literal(value))
}

/// `NAME = value` (or `NAME: T = value`): the name and the value.
fn assigned(stmt: &Stmt) -> Option<(&str, &Expr)> {
    match stmt {
        Stmt::Assign(assign) => match assign.targets.as_slice() {
            [Expr::Name(name)] => Some((name.id.as_str(), &assign.value)),
            _ => None,
        },
        Stmt::AnnAssign(assign) => match (&*assign.target, &assign.value) {
            (Expr::Name(name), Some(value)) => Some((name.id.as_str(), value)),
            _ => None,
        },
        _ => None,
    }
}
