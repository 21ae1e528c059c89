//! FH304 `path-traversal`: files opened, sent or removed with a path built
//! from request data.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use crate::analysis::checker::FlowChecker;
use crate::analysis::codes::Rule;
use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::request_data::ScopeFlow;
use crate::analysis::rules::Hooks;
use crate::analysis::semantic::SemanticModel;

/// The rule's documentation, printed by `flask-harden rule FH304`.
pub const DOC: &str = r#"## What it does
Finds file access with a path that carries request data: `send_file(...)`,
`open(...)`, `io.open`, `os.remove`/`unlink`, `shutil` copies and removals,
`pathlib.Path(...).read_text()` and friends, and `FileStorage.save(...)` of an
upload to a path built from its own file name, including paths built with
`os.path.join`, f-strings or `+` from a query parameter or a view argument
(`<path:name>`). A name checked against an allow-list first (`if name in
ALLOWED:` around the access, or an earlier `if name not in ALLOWED: abort(404)`,
where the collection is a literal, a constant or `os.listdir(...)`) is not
reported. Paths passed through `secure_filename`, `safe_join` or
`os.path.basename` are fine, and `send_from_directory` is the safe sink.

## Why is this bad?
`../` sequences and absolute paths escape the intended folder:
`/download?name=../../etc/passwd` reads any file the process can read
(configuration, keys, source), and a write or delete sink lets an attacker
overwrite or remove files. `os.path.join(BASE, "/etc/passwd")` even discards
`BASE` entirely.

## Example
```python
@app.get("/download")
def download():
    name = request.args.get("name", "")
    return send_file(os.path.join(UPLOAD_DIR, name))
```

Use instead:
```python
from flask import send_from_directory

@app.get("/download")
def download():
    return send_from_directory(UPLOAD_DIR, request.args.get("name", ""))
```
Or join with `werkzeug.utils.safe_join(UPLOAD_DIR, name)` (it returns `None`
for paths that escape) and name uploads with `secure_filename`.

## Fix safety
There is no automatic fix: the right base folder and the behaviour for
rejected names are application decisions. The message gives the replacement.

## References
- CWE-22: Improper Limitation of a Pathname to a Restricted Directory, https://cwe.mitre.org/data/definitions/22.html
- OWASP Top 10 A01:2021 Broken Access Control, https://owasp.org/Top10/A01_2021-Broken_Access_Control/
- Flask: send_from_directory, https://flask.palletsprojects.com/en/stable/api/#flask.send_from_directory
- Werkzeug: safe_join, https://werkzeug.palletsprojects.com/en/stable/utils/#werkzeug.security.safe_join
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "path-traversal",
    fix: FixAvailability::None,
    cwe: "CWE-22",
    owasp: "A01:2021",
    owasp_title: "Broken Access Control",
    summary: "File access with a path built from request data",
    doc: Some(DOC),
    hooks: Hooks {
        flow_sink: Some(is_sink),
        flow_call: Some(check),
        ..Hooks::NONE
    },
};

const FILE_FUNCTIONS: &[&str] = &[
    "builtins.open",
    "io.open",
    "codecs.open",
    "flask.send_file",
    "flask.helpers.send_file",
    "os.open",
    "os.remove",
    "os.unlink",
    "os.rmdir",
    "os.removedirs",
    "os.listdir",
    "os.scandir",
    "shutil.rmtree",
    "shutil.copy",
    "shutil.copy2",
    "shutil.copyfile",
    "shutil.move",
];

const PATH_METHODS: &[&str] = &[
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "unlink",
    "rmdir",
    "iterdir",
];

/// Whether `call` may be a sink of this rule (see `sql_injection::is_sink`).
/// Whether a call of `method` reads or writes the path its receiver holds
/// (`Path(name).read_text()`, `upload.save(...)`): the receiver is where
/// request data would make it a finding.
pub(crate) fn receiver_is_path(method: &str) -> bool {
    PATH_METHODS.contains(&method) || matches!(method, "open" | "save")
}

pub(crate) fn is_sink(semantic: &SemanticModel, call: &ast::ExprCall) -> bool {
    semantic.imported_callee_name(call).is_some_and(|callee| {
        matches!(
            callee,
            "open"
                | "send_file"
                | "remove"
                | "unlink"
                | "rmdir"
                | "removedirs"
                | "listdir"
                | "scandir"
                | "rmtree"
                | "copy"
                | "copy2"
                | "copyfile"
                | "move"
                | "save"
                | "read_text"
                | "read_bytes"
                | "write_text"
                | "write_bytes"
                | "iterdir"
        )
    })
}

/// Reports file access with a path that carries request data.
pub(crate) fn check(checker: &mut FlowChecker, call: &ast::ExprCall) {
    let flow = checker.flow();
    let node = checker.node();
    if !is_sink(flow.semantic(), call) {
        return;
    }
    let sink = if let Some(q) = flow.semantic().resolve_qualified_name(&call.func)
        && FILE_FUNCTIONS.contains(&q.dotted().as_str())
    {
        let Some(path) = path_argument(call) else {
            return;
        };
        if !flow.is_request_data(path) || flow.allow_listed(path, node) {
            return;
        }
        format!("`{}()`", q.last())
    } else if let Expr::Attribute(attr) = &*call.func {
        let method = attr.attr.as_str();
        let receiver_tainted = flow.is_request_data(&attr.value);
        if method == "save" {
            // `upload.save(os.path.join(DIR, upload.filename))`
            let Some(path) = path_argument(call) else {
                return;
            };
            if !receiver_tainted || !flow.is_request_data(path) || flow.allow_listed(path, node) {
                return;
            }
        } else if !(PATH_METHODS.contains(&method) || method == "open")
            || !receiver_tainted
            || !is_path_like(flow, &attr.value)
            || flow.allow_listed(&attr.value, node)
        {
            return;
        }
        format!("`.{method}()`")
    } else {
        return;
    };
    let message = format!(
        "{sink} uses a file path built from request data: `../` or an absolute path reaches any file on the server (path traversal). Serve files with `send_from_directory(BASE_DIR, name)`, or join with `werkzeug.utils.safe_join(BASE_DIR, name)` and reject `None`; name uploads with `secure_filename`"
    );
    checker.report(Diagnostic::new(Rule::PathTraversal, call.range(), message));
}

fn path_argument(call: &ast::ExprCall) -> Option<&Expr> {
    call.arguments.args.first().or_else(|| {
        ["file", "path_or_file", "filename_or_fp", "path", "src"]
            .iter()
            .find_map(|name| call.arguments.find_keyword(name).map(|k| &k.value))
    })
}

/// Whether `expr` is a `pathlib` path (a `Path(...)` call, a `/` join, or a
/// variable assigned from one).
fn is_path_like(flow: &ScopeFlow, expr: &Expr) -> bool {
    match expr {
        Expr::Call(call) => flow.semantic().resolves_to(
            &call.func,
            &["pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"],
        ),
        Expr::BinOp(op) => op.op == ast::Operator::Div,
        Expr::Name(_) => true,
        _ => false,
    }
}
