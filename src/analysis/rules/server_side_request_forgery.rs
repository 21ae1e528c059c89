//! FH308 `server-side-request-forgery`: outgoing HTTP requests (`requests`,
//! `httpx`, `urllib.request`) to a URL built from request data.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use crate::analysis::checker::FlowChecker;
use crate::analysis::codes::Rule;
use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::request_data::callee_name;
use crate::analysis::rules::Hooks;
use crate::analysis::semantic::SemanticModel;

/// The rule's documentation, printed by `flask-harden rule FH308`.
pub const DOC: &str = r#"## What it does
Finds outgoing HTTP requests whose URL carries request data:
`requests.get/post/put/patch/delete/head/options/request(...)`, the same
methods of a `requests.Session()`, `httpx` functions, `httpx.Client()` /
`AsyncClient()` methods and `urllib3.PoolManager().request(...)` (clients
assigned or bound by `with` in the same function or at module level), and
`urllib.request.urlopen(...)` / `urllib.request.Request(...)` (aliases too),
including URLs built with f-strings, `+` or `urljoin` from a parameter.
Request data in `params=`, `json=` or `data=` is fine: only the URL counts.

## Why is this bad?
The server fetches whatever URL the client names, from inside the network:
cloud metadata endpoints (`http://169.254.169.254/` hands out credentials),
admin interfaces bound to localhost, internal databases with HTTP APIs, or
`file://` URLs with urllib. Responses or timing leak what is there.

## Example
```python
@app.get("/image-proxy")
def image_proxy():
    return requests.get(request.args["url"], timeout=5).content
```

Use instead:
```python
ALLOWED_HOSTS = {"images.example.com"}

@app.get("/image-proxy")
def image_proxy():
    url = urlsplit(request.args.get("url", ""))
    if url.scheme != "https" or url.hostname not in ALLOWED_HOSTS:
        abort(400)
    return requests.get(url.geturl(), timeout=5, allow_redirects=False).content
```

## Fix safety
There is no automatic fix: which hosts may be fetched is an application
decision. The message gives the check to add.

## References
- CWE-918: Server-Side Request Forgery (SSRF), https://cwe.mitre.org/data/definitions/918.html
- OWASP Top 10 A10:2021 Server-Side Request Forgery, https://owasp.org/Top10/A10_2021-Server-Side_Request_Forgery_%28SSRF%29/
- OWASP SSRF Prevention Cheat Sheet, https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "server-side-request-forgery",
    fix: FixAvailability::None,
    cwe: "CWE-918",
    owasp: "A10:2021",
    owasp_title: "Server-Side Request Forgery",
    summary: "An outgoing HTTP request to a URL built from request data",
    doc: Some(DOC),
    hooks: Hooks {
        flow_sink: Some(is_sink),
        flow_call: Some(check),
        ..Hooks::NONE
    },
};

const HTTP_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "request", "stream",
];
const URLLIB: &[&str] = &[
    "urllib.request.urlopen",
    "urllib.request.Request",
    "urllib2.urlopen",
    "urllib2.Request",
];
const CLIENTS: &[&str] = &[
    "requests.Session",
    "requests.session",
    "requests.sessions.Session",
    "httpx.Client",
    "httpx.AsyncClient",
    "urllib3.PoolManager",
    "urllib3.poolmanager.PoolManager",
];

/// Whether `call` may be a sink of this rule (see `sql_injection::is_sink`).
pub(crate) fn is_sink(semantic: &SemanticModel, call: &ast::ExprCall) -> bool {
    let named = callee_name(call)
        .is_some_and(|name| HTTP_METHODS.contains(&name) || matches!(name, "urlopen" | "Request"));
    // An imported function under another name: `from urllib.request import urlopen as fetch`
    // (a plain name reaches a finding only as `urllib.request`'s function).
    named
        || matches!(&*call.func, Expr::Name(name) if semantic.is_imported(&name.id))
            && semantic.resolves_to(&call.func, URLLIB)
}

/// Reports outgoing requests to URLs built from request data.
pub(crate) fn check(checker: &mut FlowChecker, call: &ast::ExprCall) {
    let flow = checker.flow();
    let semantic = flow.semantic();
    if !is_sink(semantic, call) {
        return;
    }
    let (library, method) = if semantic.resolves_to(&call.func, URLLIB) {
        ("urllib.request", "urlopen")
    } else {
        let Expr::Attribute(attr) = &*call.func else {
            return;
        };
        let method = attr.attr.as_str();
        if !HTTP_METHODS.contains(&method) {
            return;
        }
        let module = semantic
            .resolve_qualified_name(&attr.value)
            .filter(|q| q.is(&["requests"]) || q.is(&["httpx"]))
            .map(|q| q.dotted());
        let client = flow.is_instance_of(&attr.value, CLIENTS);
        match (module, client) {
            (Some(_), _)
                if method == "stream" && !semantic.resolves_to(&attr.value, &["httpx"]) =>
            {
                return;
            }
            (Some(_), _) => ("requests/httpx", method),
            (None, true) => ("an HTTP client", method),
            (None, false) => return,
        }
    };
    let Some(url) = url_argument(call, method) else {
        return;
    };
    if !flow.is_request_data(url) {
        return;
    }
    let message = format!(
        "The URL of this outgoing request ({library} `{method}`) is built from request data: a client can make the server fetch internal services or cloud metadata (server-side request forgery). Check the scheme and host against an allow-list before the request, and disable redirects"
    );
    checker.report(Diagnostic::new(
        Rule::ServerSideRequestForgery,
        call.range(),
        message,
    ));
}

fn url_argument<'a>(call: &'a ast::ExprCall, method: &str) -> Option<&'a Expr> {
    let position = usize::from(matches!(method, "request" | "stream"));
    call.arguments.find_argument_value("url", position)
}
