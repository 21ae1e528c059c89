//! FH303 `template-injection`: templates or markup built from non-literal or
//! request data, and Jinja environments with autoescaping switched off.

use std::sync::LazyLock;

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use crate::analysis::checker::FlowChecker;
use crate::analysis::codes::Rule;
use crate::analysis::config_values::is_falsy_literal;
use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;
use crate::analysis::semantic::{CalleeNames, SemanticModel};

/// The rule's documentation, printed by `flask-harden rule FH303`.
pub const DOC: &str = r#"## What it does
Finds server-side template injection and markup injection:
`render_template_string` called with a template that is not a literal (or a
constant; a template read from a file whose name passed an allow-list test,
`if name in ALLOWED:`, counts as constant), `Markup(...)` / `markupsafe.Markup(...)` of request data, a Jinja
`Template(...)` or `env.from_string(...)` of request data, and
`jinja2.Environment(autoescape=False)`.

## Why is this bad?
A template is code: with `render_template_string(f"<h1>{name}</h1>")`, a
visitor who sends `{{ config }}` reads the secret key, and
`{{ ''.__class__.__mro__[1].__subclasses__() }}` leads to remote code
execution. `Markup` tells Jinja that a string is already safe HTML, so request
data wrapped in it is rendered unescaped (cross-site scripting), as is every
variable of an environment whose autoescaping is off.

## Example
```python
name = request.args.get("name", "guest")
return render_template_string(f"<h1>Hello {name}!</h1>")
```

Use instead:
```python
PAGE = "<h1>Hello {{ name }}!</h1>"
return render_template_string(PAGE, name=name)
```
Pass data as template variables, keep templates constant (or in files with
`render_template`), use `markupsafe.escape` or `Markup("<b>{}</b>").format(x)`,
and create environments with `autoescape=select_autoescape()`.

## Fix safety
There is no automatic fix: moving the data into template variables changes the
template itself.

## References
- CWE-1336: Improper Neutralization of Special Elements Used in a Template Engine, https://cwe.mitre.org/data/definitions/1336.html
- CWE-79: Cross-site Scripting, https://cwe.mitre.org/data/definitions/79.html
- OWASP Top 10 A03:2021 Injection, https://owasp.org/Top10/A03_2021-Injection/
- Jinja: Autoescaping, https://jinja.palletsprojects.com/en/stable/api/#autoescaping
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "template-injection",
    fix: FixAvailability::None,
    cwe: "CWE-1336",
    owasp: "A03:2021",
    owasp_title: "Injection",
    summary: "Templates or markup built from non-literal or request data",
    doc: Some(DOC),
    hooks: Hooks {
        flow_sink: Some(is_sink),
        flow_call: Some(check),
        ..Hooks::NONE
    },
};

const RENDER_STRING: &[&str] = &[
    "flask.render_template_string",
    "flask.templating.render_template_string",
];
const MARKUP: &[&str] = &[
    "markupsafe.Markup",
    "flask.Markup",
    "jinja2.Markup",
    "jinja2.utils.Markup",
];
const TEMPLATE: &[&str] = &["jinja2.Template", "jinja2.environment.Template"];
const ENVIRONMENT: &[&str] = &[
    "jinja2.Environment",
    "jinja2.environment.Environment",
    "jinja2.sandbox.SandboxedEnvironment",
];

static SINK_NAMES: LazyLock<CalleeNames> =
    LazyLock::new(|| CalleeNames::new(&[RENDER_STRING, MARKUP, TEMPLATE, ENVIRONMENT]));

/// Whether `call` may be a sink of this rule (see `sql_injection::is_sink`).
pub(crate) fn is_sink(semantic: &SemanticModel, call: &ast::ExprCall) -> bool {
    // `env.from_string(...)` is a method of any Jinja environment.
    semantic.callee_may_be(call, &SINK_NAMES)
        || semantic.imported_callee_name(call) == Some("from_string")
}

/// Reports template and markup construction from non-literal or request data.
pub(crate) fn check(checker: &mut FlowChecker, call: &ast::ExprCall) {
    let flow = checker.flow();
    let node = checker.node();
    let semantic = flow.semantic();
    if !is_sink(semantic, call) {
        return;
    }
    if semantic.resolves_to(&call.func, ENVIRONMENT) {
        if let Some(keyword) = call.arguments.find_keyword("autoescape")
            && is_falsy_literal(&keyword.value)
        {
            checker.report(Diagnostic::new(
                Rule::TemplateInjection,
                keyword.range(),
                "This Jinja environment renders every variable without HTML escaping (`autoescape=False`): any user data in a template becomes cross-site scripting. Use `autoescape=select_autoescape()` (or `True`)",
            ));
        }
        return;
    }
    let first = || {
        call.arguments
            .args
            .first()
            .or_else(|| call.arguments.find_keyword("source").map(|k| &k.value))
    };
    if semantic.resolves_to(&call.func, RENDER_STRING) {
        let Some(template) = first() else { return };
        if flow.is_constant(template) || flow.allow_listed(template, node) {
            return;
        }
        let origin = if flow.is_request_data(template) {
            "built from request data"
        } else {
            "not a constant"
        };
        let message = format!(
            "The template given to `render_template_string` is {origin}: a visitor who controls part of it can run template code (server-side template injection, leading to code execution). Keep the template constant and pass values as variables: `render_template_string(PAGE, name=name)`"
        );
        checker.report(Diagnostic::new(
            Rule::TemplateInjection,
            call.range(),
            message,
        ));
        return;
    }
    let from_string = matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "from_string");
    let (what, advice) = if semantic.resolves_to(&call.func, MARKUP) {
        (
            "`Markup(...)` marks request data as safe HTML, so it is rendered unescaped (cross-site scripting)",
            "Escape it with `markupsafe.escape(...)` or build markup with `Markup(\"<b>{}</b>\").format(value)`, which escapes the arguments",
        )
    } else if semantic.resolves_to(&call.func, TEMPLATE) || from_string {
        (
            "A Jinja template is compiled from request data (server-side template injection)",
            "Keep templates constant and pass the data as template variables",
        )
    } else {
        return;
    };
    if !first().is_some_and(|arg| flow.is_request_data(arg)) {
        return;
    }
    checker.report(Diagnostic::new(
        Rule::TemplateInjection,
        call.range(),
        format!("{what}. {advice}"),
    ));
}
