//! FH301 `unvalidated-request-body`: a route function that uses request fields
//! (`json`, `get_json()`, `form`, `args`, `values`) without a schema.

use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::registry::Rule;
use crate::analysis::request_data::{BodyReads, ScopeFlow, ScopeKind};

/// The rule's documentation, printed by `flask-harden rule FH301`.
pub const DOC: &str = r#"## What it does
Finds route functions (`@app.route`, `@bp.get`, `@bp.post`, ..., `MethodView`
methods) that read `request.json`, `request.get_json()`, `request.form`,
`request.args` or `request.values` and use the fields without passing the data
through a schema: pydantic (`Model.model_validate(...)`, `model_validate_json`,
`TypeAdapter(...).validate_python(...)`, `Model(**data)`) or marshmallow
(`Schema().load(...)`). A read into a variable that is only checked for `None`
and then validated counts as validated. A `type=int` conversion in
`request.args.get(...)` is not validation: it has no bounds.

The finding is reported once per route function, at the first read of request
data that is not validated.

## Why is this bad?
Unvalidated fields reach the application with any type, size and shape the
client chooses: missing keys raise 500 errors, huge strings and deep structures
exhaust memory, unexpected types break business rules, and every downstream
sink (SQL, templates, file paths, outgoing requests) sees raw attacker input.
A schema with types and bounds rejects all of that at the door with a clear 400
or 422 answer.

## Example
```python
@app.post("/posts")
def create_post():
    title = request.form["title"]
    body = request.form.get("body", "")
    save(title, body)
```

Use instead:
```python
from pydantic import BaseModel, Field, ValidationError

class PostIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=10_000)

@app.post("/posts")
def create_post():
    try:
        post = PostIn.model_validate(request.form.to_dict())
    except ValidationError as exc:
        return jsonify(errors=exc.errors(include_url=False)), 422
    save(post.title, post.body)
```

## Fix safety
The remediation is unsafe: it generates a pydantic model from the fields the
function reads, with length and range bounds, and validates at the top of the
function with a 422 JSON error. Requests that used to be accepted may now be
rejected, so review the generated bounds before applying it
(`flask-harden fix --unsafe-fixes`).

## References
- CWE-20: Improper Input Validation, https://cwe.mitre.org/data/definitions/20.html
- OWASP Top 10 A03:2021 Injection, https://owasp.org/Top10/A03_2021-Injection/
- OWASP Input Validation Cheat Sheet, https://cheatsheetseries.owasp.org/cheatsheets/Input_Validation_Cheat_Sheet.html
- pydantic: Models, https://docs.pydantic.dev/latest/concepts/models/
"#;

/// Reports a route function whose request fields are not validated.
pub(crate) fn check_scope(flow: &ScopeFlow, out: &mut Vec<Diagnostic>) {
    let ScopeKind::Function(function) = flow.kind() else {
        return;
    };
    if !flow.is_route() {
        return;
    }
    let reads = BodyReads::of(flow);
    let Some(range) = reads.first_unvalidated else {
        return;
    };
    let fields = if reads.fields.is_empty() {
        "request fields".to_owned()
    } else {
        let names: Vec<String> = reads.fields.iter().map(|f| format!("`{f}`")).collect();
        format!("request fields ({})", names.join(", "))
    };
    let message = format!(
        "Route `{}` uses {fields} without validating them: declare a pydantic model (or marshmallow schema) with types and length/range bounds, validate the data at the top of the view and answer 400/422 with the errors",
        function.name.as_str()
    );
    out.push(Diagnostic::new(
        Rule::UnvalidatedRequestBody,
        range,
        message,
    ));
}
