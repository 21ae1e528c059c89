//! FH104 `bind-all-interfaces`: the development server bound to every network
//! interface (`host="0.0.0.0"` or `"::"`).

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::Checker;
use crate::analysis::codes::Rule;
use crate::analysis::diagnostic::{Diagnostic, Edit, Fix};
use crate::analysis::imports::ensure_import;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;

/// The rule's documentation, printed by `flask-harden rule FH104`.
pub const DOC: &str = r#"## What it does
Finds the development server bound to every network interface:
`app.run(host="0.0.0.0")`, `app.run("::")`, `socketio.run(app, host="0.0.0.0")`
and `run_simple("0.0.0.0", ...)`. Development configuration (for example code
under `if app.debug:`) and test code are exempt.

## Why is this bad?
The Werkzeug development server is not built for hostile networks. Bound to
`0.0.0.0` it is reachable from the whole network (a café Wi-Fi, the office LAN,
the internet on a cloud VM), often together with debug mode, which turns it into
remote code execution. In production a WSGI server such as gunicorn behind a
reverse proxy decides the bind address.

## Example
```python
app.run(host="0.0.0.0", port=5000)
```

Use instead:
```python
import os

app.run(host=os.environ.get("FLASK_RUN_HOST", "127.0.0.1"), port=5000)
```

## Fix safety
The fix is safe: the host comes from `FLASK_RUN_HOST` and defaults to
`127.0.0.1`. A container that must listen on all interfaces sets
`FLASK_RUN_HOST=0.0.0.0` explicitly.

## References
- CWE-1327: Binding to an Unrestricted IP Address, https://cwe.mitre.org/data/definitions/1327.html
- OWASP Top 10 A05:2021 Security Misconfiguration, https://owasp.org/Top10/A05_2021-Security_Misconfiguration/
- Flask: Deploying to Production, https://flask.palletsprojects.com/en/stable/deploying/
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "bind-all-interfaces",
    fix: FixAvailability::Safe,
    cwe: "CWE-1327",
    owasp: "A05:2021",
    owasp_title: "Security Misconfiguration",
    summary: "The development server bound to every network interface",
    doc: Some(DOC),
    hooks: Hooks {
        call: Some(check_call),
        ..Hooks::NONE
    },
};

fn is_all_interfaces(expr: &Expr) -> Option<&str> {
    let Expr::StringLiteral(s) = expr else {
        return None;
    };
    let value = s.value.to_str();
    matches!(value, "0.0.0.0" | "::" | "[::]" | "0").then_some(value)
}

/// `app.run(host=...)`, `run_simple(host, ...)`.
pub(crate) fn check_call(checker: &mut Checker, call: &ast::ExprCall) {
    // `run(...)` or `run_simple(...)` (also imported under another name), before
    // any name is resolved.
    let run = matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "run")
        || matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "run");
    if !run && checker.semantic().imported_callee_name(call) != Some("run_simple") {
        return;
    }
    if checker.in_development_context() {
        return;
    }
    let Some((callee, qualified)) = checker.semantic().server_call(call) else {
        return;
    };
    let is_run_simple =
        callee == "run_simple" || qualified.as_ref().is_some_and(|q| q.last() == "run_simple");
    if callee != "run" && !is_run_simple {
        return;
    }
    let (range, value) = if let Some(keyword) = call.arguments.find_keyword("host") {
        (keyword.range(), &keyword.value)
    } else {
        // `app.run("0.0.0.0")` and `run_simple("0.0.0.0", ...)` take the host first;
        // `socketio.run(app, "0.0.0.0")` second.
        let is_socketio = matches!(&*call.func, Expr::Attribute(a) if matches!(&*a.value, Expr::Name(n) if n.id.to_ascii_lowercase().contains("socketio")));
        let index = usize::from(is_socketio);
        let Some(value) = call.arguments.find_positional(index) else {
            return;
        };
        (value.range(), value)
    };
    let Some(host) = is_all_interfaces(value) else {
        return;
    };
    let host = host.to_owned();
    report(checker, range, value.range(), &host);
}

fn report(checker: &mut Checker, range: TextRange, value: TextRange, host: &str) {
    let mut edits = vec![Edit::replacement(
        r#"os.environ.get("FLASK_RUN_HOST", "127.0.0.1")"#,
        value,
    )];
    edits.extend(ensure_import(checker.module(), "os"));
    let fix = Fix::safe(
        "Read the host from FLASK_RUN_HOST, 127.0.0.1 by default",
        edits,
    )
    .reading_env("FLASK_RUN_HOST");
    let message = format!(
        "The development server listens on every network interface (`{host}`), so anyone on the network can reach it. Bind to `127.0.0.1` by default and take the host from `FLASK_RUN_HOST`; serve production traffic with gunicorn behind a proxy"
    );
    checker.report(Diagnostic::new(Rule::BindAllInterfaces, range, message).with_fix(fix));
}
