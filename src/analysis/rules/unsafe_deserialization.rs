//! FH306 `unsafe-deserialization`: `pickle`, `marshal` and unsafe YAML loading.

use std::sync::LazyLock;

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use crate::analysis::checker::Checker;
use crate::analysis::codes::Rule;
use crate::analysis::diagnostic::{Diagnostic, Edit, Fix};
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;
use crate::analysis::semantic::CalleeNames;

/// The rule's documentation, printed by `flask-harden rule FH306`.
pub const DOC: &str = r#"## What it does
Finds deserializers that can run code while loading: `pickle.loads` /
`pickle.load` (and `cPickle`, `_pickle`, `dill`, `pickle.Unpickler`),
`marshal.loads` / `marshal.load`, `yaml.load(...)` / `yaml.load_all(...)`
without a safe loader (`SafeLoader`, `CSafeLoader`, `BaseLoader`, also when
imported under another name), and
`yaml.unsafe_load` / `yaml.unsafe_load_all`.

## Why is this bad?
A pickle stream is a program: `__reduce__` lets it call any function, so
`pickle.loads` of a request body, an upload, a cookie or a cache file that an
attacker can write is remote code execution. YAML's full loader builds
arbitrary Python objects (`!!python/object/apply:os.system`). `marshal` is not
meant for untrusted data at all.

## Example
```python
docs = yaml.load(request.data)
items = pickle.loads(base64.b64decode(request.data))
```

Use instead:
```python
docs = yaml.safe_load(request.data)
items = json.loads(request.data)
```

## Fix safety
`yaml.load(x)` and `yaml.load(x, Loader=yaml.Loader)` become
`yaml.safe_load(x)`: a safe fix, since documents with Python-specific tags are
exactly what must be rejected. `pickle` and `marshal` have no drop-in safe
replacement (switch the format to JSON), so they are reported only.

## References
- CWE-502: Deserialization of Untrusted Data, https://cwe.mitre.org/data/definitions/502.html
- OWASP Top 10 A08:2021 Software and Data Integrity Failures, https://owasp.org/Top10/A08_2021-Software_and_Data_Integrity_Failures/
- Python: pickle security warning, https://docs.python.org/3/library/pickle.html
- PyYAML: yaml.load deprecation, https://github.com/yaml/pyyaml/wiki/PyYAML-yaml.load(input)-Deprecation
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "unsafe-deserialization",
    fix: FixAvailability::Sometimes,
    cwe: "CWE-502",
    owasp: "A08:2021",
    owasp_title: "Software and Data Integrity Failures",
    summary: "pickle, marshal or unsafe YAML loading",
    doc: Some(DOC),
    hooks: Hooks {
        call: Some(check_call),
        ..Hooks::NONE
    },
};

const ALWAYS_UNSAFE: &[&str] = &[
    "pickle.loads",
    "pickle.load",
    "pickle.Unpickler",
    "cPickle.loads",
    "cPickle.load",
    "_pickle.loads",
    "_pickle.load",
    "dill.loads",
    "dill.load",
    "dill.Unpickler",
    "marshal.loads",
    "marshal.load",
    "yaml.unsafe_load",
    "yaml.unsafe_load_all",
    "jsonpickle.decode",
];
const YAML_LOAD: &[&str] = &["yaml.load", "yaml.load_all"];
const SAFE_LOADERS: &[&str] = &["SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"];

static LOADER_NAMES: LazyLock<CalleeNames> =
    LazyLock::new(|| CalleeNames::new(&[YAML_LOAD, ALWAYS_UNSAFE]));

/// Reports unsafe deserialization calls.
pub(crate) fn check_call(checker: &mut Checker, call: &ast::ExprCall) {
    if !checker
        .semantic()
        .callee_may_be(call, &LOADER_NAMES)
    {
        return;
    }
    let Some(qualified) = checker.semantic().resolve_qualified_name(&call.func) else {
        return;
    };
    if shadowed_by_local_value(checker, &call.func) {
        return;
    }
    let name = qualified.dotted();
    let mut fix = None;
    if qualified.is_any(YAML_LOAD) {
        let loader = call
            .arguments
            .find_argument_value("Loader", 1)
            .or_else(|| call.arguments.find_keyword("loader").map(|k| &k.value));
        if loader.is_some_and(|loader| is_safe_loader(checker, loader)) {
            return;
        }
        fix = safe_load_fix(checker, call, loader);
    } else if !qualified.is_any(ALWAYS_UNSAFE) {
        return;
    }
    let message = if name.starts_with("yaml.unsafe") {
        format!(
            "`{name}()` builds arbitrary Python objects from the document: untrusted YAML can run code. Use `yaml.safe_load(...)`"
        )
    } else if name.starts_with("yaml") {
        format!(
            "`{name}()` without a safe loader builds arbitrary Python objects from the document: untrusted YAML can run code. Use `yaml.safe_load(...)` (or `Loader=yaml.SafeLoader`)"
        )
    } else {
        format!(
            "`{name}()` can run arbitrary code while loading: never deserialize data that an attacker could write (requests, uploads, cookies, shared caches). Use JSON (`json.loads`) or another data-only format, and sign anything that must round-trip"
        )
    };
    let mut diagnostic = Diagnostic::new(Rule::UnsafeDeserialization, call.range(), message);
    if let Some(fix) = fix {
        diagnostic = diagnostic.with_fix(fix);
    }
    checker.report(diagnostic);
}

/// A loader that builds no Python objects: `yaml.SafeLoader` and friends under
/// any import name (`from yaml import SafeLoader as NewSafeLoader`), or, when the
/// name is not an import, a name that says so (`yaml_loaders.SafeLoader`).
fn is_safe_loader(checker: &Checker, loader: &Expr) -> bool {
    if let Some(qualified) = checker.semantic().resolve_qualified_name(loader) {
        return qualified.segments().next() == Some("yaml")
            && SAFE_LOADERS.contains(&qualified.last());
    }
    let last = match loader {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => "",
    };
    SAFE_LOADERS.contains(&last)
}

/// `yaml = YAML(typ="rt")` (ruamel) then `yaml.load(f)`: the name the call goes
/// through is assigned a value in this module, so it is not the imported
/// module whatever the import says.
fn shadowed_by_local_value(checker: &Checker, func: &Expr) -> bool {
    let mut head = func;
    while let Expr::Attribute(attr) = head {
        head = &attr.value;
    }
    let Expr::Name(name) = head else {
        return false;
    };
    !std::ptr::eq(head, func)
        && checker
            .semantic()
            .assigned_value(name.id.as_str())
            .is_some_and(|value| matches!(value, Expr::Call(_)))
}

/// `yaml.load(x)` / `yaml.load(x, Loader=yaml.Loader)` → `yaml.safe_load(x)`.
fn safe_load_fix(checker: &Checker, call: &ast::ExprCall, loader: Option<&Expr>) -> Option<Fix> {
    let Expr::Attribute(attr) = &*call.func else {
        return None;
    };
    if attr.attr.as_str() != "load" {
        return None;
    }
    if let Some(loader) = loader
        && !checker
            .semantic()
            .resolves_to(loader, &["yaml.Loader", "yaml.loader.Loader"])
    {
        return None;
    }
    let arguments = &call.arguments;
    let stream = match (&*arguments.args, &*arguments.keywords) {
        ([stream], []) => stream,
        ([stream], [k]) if k.arg.as_ref().is_some_and(|a| a.as_str() == "Loader") => stream,
        ([stream, _], []) => stream,
        _ => return None,
    };
    let text = checker.source().text();
    let module = &text[attr.value.range()];
    let stream = &text[stream.range()];
    Some(Fix::safe(
        "Load the document with `yaml.safe_load`",
        vec![Edit::replacement(
            format!("{module}.safe_load({stream})"),
            call.range(),
        )],
    ))
}
