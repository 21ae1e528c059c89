//! FH301 `unvalidated-request-body`: a route function that uses request fields
//! (`json`, `get_json()`, `form`, `args`, `values`) without a schema.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, CmpOp, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::analysis::autofix::line_ending;
use crate::analysis::checker::{Checker, FlowChecker};
use crate::analysis::codes::Rule;
use crate::analysis::diagnostic::{Diagnostic, Edit, Fix};
use crate::analysis::imports::ImportPlan;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::request_data::{Node, RequestRead, ScopeFlow, ScopeKind};
use crate::analysis::rules::Hooks;
use crate::analysis::semantic::SemanticModel;

/// The rule's documentation, printed by `flask-harden rule FH301`.
pub const DOC: &str = r#"## What it does
Finds route functions (`@app.route`, `@bp.get`, `@bp.post`, ..., `MethodView`
methods) that read `request.json`, `request.get_json()`, `request.form`,
`request.args` or `request.values` and use the fields without passing the data
through a schema: pydantic (`Model.model_validate(...)`, `model_validate_json`,
`TypeAdapter(...).validate_python(...)`, `Model(**data)`) or marshmallow
(`Schema().load(...)`). A read into a variable that is only checked for `None`
and then validated counts as validated.

A scalar read the view converts to a number is type-checked and not reported:
`request.args.get("page", 1, type=int)` (or `type=float`), and
`int(request.args.get("size", 10))` / `float(...)` of a read with a default.
Typed pagination is idiomatic: a value that is not a number never reaches the
view as a string. Strings, lists and JSON bodies still need a schema, and a
view that also reads other fields is reported for those.

A field kept in a variable is validated too when a check guards every use of
it: an allow-list membership test (`if name not in ALLOWED: abort(404)`, or the
use inside `if name in ALLOWED:`), or a same-site URL check
(`if urlsplit(next).netloc: abort(400)`, `if not next or
urlsplit(next).netloc != "": next = url_for("index")`, `if
is_safe_url(next):`). The guard must leave the view or replace the value; a
check whose branch does neither is no guard.

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
The remediation is unsafe: it generates a pydantic model named after the view
from the fields the view reads, inserts it before the view and validates the
data at the top of the view (with the view's own `get_json` arguments, such as
`force=True`), answering 422 with the errors as JSON. Requests that used to be
accepted may now be rejected, so review the generated bounds before applying
it (`flask-harden fix --unsafe-fixes`). It is offered for module-level views
that read a single source (`json`, `form`, `args` or `values`) by literal field
names; other views are reported only.
A view that also answers GET and reads the data only inside
`if request.method == "POST":` validates at the top of that block, so its
GET page keeps working.

The view keeps reading the request itself after validation, so the model
checks the raw data and converts nothing: whenever validation passes, the
values the view reads are exactly the validated ones (same type, same value).
- Form, query and values fields are strings: `str` with `max_length`. A field
  the view converts with `int(...)` or `type=int` is a `str` of one to seven
  ASCII digits (`pattern=r"^[0-9]{1,7}$"`), not a lax `int`, which would
  accept `"5.0"` that `int()` then refuses (a 500) or `type=int` silently
  replaces with the default. A field read with `getlist(...)` is a list of such
  strings (at most 1 000), and every value is validated, not just the first.
- JSON fields keep their JSON type: a field the view converts with `int(...)` is
  an `int` with `strict=True` and `ge`/`le` bounds (a string such as `"5"`, a
  float or a boolean is refused instead of coerced); one it also uses as a
  string (`int(x)` and `x.zfill(5)`) is a `str` of digits; one it calls a
  string method on is a strict `str` with `max_length`; anything else is `Any`,
  since JSON values may be lists, numbers or objects.
- `.get()` reads are optional (`None` when absent); subscripts are required,
  except in a view that answers PUT or PATCH (and not POST): a partial update
  sends only the fields it changes, so every field is optional there.
- Bounds come from the project's models when they state one: a SQLAlchemy
  `Column(String(80))` / `mapped_column(String(80))` or a WTForms
  `Length(max=80)` for a field of the same name gives `max_length=80`; other
  strings keep a 1 000-character placeholder, and the model's docstring names
  them in a `TODO(flask-harden)` to review.
- The code is pydantic 2 (`model_validate`, `strict=`, `pattern=`): a project
  that pins pydantic below 2 (`pydantic==1.10.13`, `<2`, Poetry `^1.10`) gets
  the finding without the fix. `Field`, `Optional`, `Any` and `Annotated` are
  imported only when the model uses them.

## References
- CWE-20: Improper Input Validation, https://cwe.mitre.org/data/definitions/20.html
- OWASP Top 10 A03:2021 Injection, https://owasp.org/Top10/A03_2021-Injection/
- OWASP Input Validation Cheat Sheet, https://cheatsheetseries.owasp.org/cheatsheets/Input_Validation_Cheat_Sheet.html
- pydantic: Models, https://docs.pydantic.dev/latest/concepts/models/
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "unvalidated-request-body",
    fix: FixAvailability::Unsafe,
    cwe: "CWE-20",
    owasp: "A03:2021",
    owasp_title: "Injection",
    summary: "A route that uses request fields without validating them with a schema",
    doc: Some(DOC),
    hooks: Hooks {
        flow_scope: Some(check_scope),
        ..Hooks::NONE
    },
};

/// Names a pydantic model cannot use as fields (its own attributes).
const RESERVED: &[&str] = &[
    "json",
    "dict",
    "copy",
    "schema",
    "construct",
    "validate",
    "fields",
    "parse_obj",
    "parse_raw",
];

/// Reports a route function whose request fields are not validated.
pub(crate) fn check_scope(checker: &mut FlowChecker) {
    let flow = checker.flow();
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
        let names: Vec<String> = reads
            .field_names()
            .iter()
            .map(|f| format!("`{f}`"))
            .collect();
        format!("request fields ({})", names.join(", "))
    };
    let message = format!(
        "Route `{}` uses {fields} without validating them: declare a pydantic model (or marshmallow schema) with types and length/range bounds, validate the data at the top of the view and answer 400/422 with the errors",
        function.name.as_str()
    );
    let mut diagnostic = Diagnostic::new(Rule::UnvalidatedRequestBody, range, message);
    if let Some(fix) = model_fix(checker, function, &reads) {
        diagnostic = diagnostic.with_fix(fix);
    }
    checker.report(diagnostic);
}

/// Generates a pydantic model from the fields the view reads and validates the
/// request data with it at the top of the view, or of its `if request.method
/// == "POST":` block (module-level views only).
fn model_fix(checker: &Checker, function: &ast::StmtFunctionDef, reads: &BodyReads) -> Option<Fix> {
    let source = checker.source();
    let text = source.text();
    // The generated code is pydantic 2; a project held on pydantic 1 gets the
    // finding without it.
    if project_facts(checker).pydantic_one {
        return None;
    }
    let partial = partial_update(function);
    let [kind] = reads.unvalidated_sources.as_slice() else {
        return None;
    };
    if reads.fields.is_empty()
        || reads.fields.iter().any(|f| {
            !is_identifier(&f.name)
                || f.name.starts_with('_')
                || RESERVED.contains(&f.name.as_str())
        })
    {
        return None;
    }
    // Module-level views only: the model goes right before the decorators.
    let def_line = source.line_range(function.start());
    if def_line.start() != function.start() {
        return None;
    }
    let body = &function.body;
    let first = match body.first()? {
        Stmt::Expr(e) if e.value.is_string_literal_expr() => body.get(1)?,
        stmt => stmt,
    };
    let first_line = source.line_range(first.start());
    let indent = &text[first_line.start().to_usize()..first.start().to_usize()];
    if indent.is_empty() || !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let eol = line_ending(text);
    let request = &text[reads.request?];
    // A view that answers GET with a form and reads the data only under
    // `if request.method == "POST":` validates there: at the top of the view
    // the GET (no form data) would get a 422.
    let (at, block_indent) = match method_block(function, reads, request) {
        Some(block) => {
            let line = source.line_range(block.start());
            (
                line.start(),
                &text[line.start().to_usize()..block.start().to_usize()],
            )
        }
        None => (first_line.start(), indent),
    };
    if block_indent.len() < indent.len() || !block_indent.starts_with(indent) {
        return None;
    }
    let model = format!("{}Body", camel_case(function.name.as_str()));
    let data = match (*kind, reads.json_call) {
        // The view's own `get_json` arguments (`force=True` reads a body sent
        // without a JSON Content-Type), made silent unless the view chose.
        ("json", Some(call)) if !call.arguments.is_empty() => {
            if !call.keywords_only {
                return None;
            }
            let arguments = text[call.arguments].trim().trim_end_matches(',');
            if call.silent {
                format!("{request}.get_json({arguments}) or {{}}")
            } else {
                format!("{request}.get_json({arguments}, silent=True) or {{}}")
            }
        }
        ("json", _) => format!("{request}.get_json(silent=True) or {{}}"),
        // Every value of a `getlist` field, the single value of the others.
        (other, _) => {
            let lists: Vec<String> = reads
                .fields
                .iter()
                .filter(|f| f.multi)
                .map(|f| format!("\"{}\": {request}.{other}.getlist(\"{}\")", f.name, f.name))
                .collect();
            if lists.is_empty() {
                format!("{request}.{other}.to_dict()")
            } else {
                format!("{{**{request}.{other}.to_dict(), {}}}", lists.join(", "))
            }
        }
    };
    let mut class = String::new();
    let json = *kind == "json";
    let facts = project_facts(checker);
    let mut placeholders = Vec::new();
    for field in &reads.fields {
        let (ty, mut bounds) = field_type(field, json);
        // A bound the project's models state (a SQLAlchemy `String(80)`
        // column, a WTForms `Length(max=80)`) replaces the placeholder.
        if bounds.contains("max_length=1_000") && !field.multi {
            match facts.max_lengths.get(&field.name) {
                Some(max) => {
                    bounds = bounds.replace("max_length=1_000", &format!("max_length={max}"))
                }
                None => placeholders.push(field.name.clone()),
            }
        }
        // A PUT/PATCH view updates part of a record: every field optional.
        let required = (field.required || field.multi) && !partial;
        let line = match (required, bounds.is_empty()) {
            (true, false) => format!("{indent}{}: {ty} = Field({bounds}){eol}", field.name),
            (true, true) => format!("{indent}{}: {ty}{eol}", field.name),
            (false, false) => format!(
                "{indent}{}: Optional[{ty}] = Field(default=None, {bounds}){eol}",
                field.name
            ),
            (false, true) => format!("{indent}{}: {ty} = None{eol}", field.name),
        };
        class.push_str(&line);
    }
    let summary = format!(
        "The request data of `{}` (generated by flask-harden: review the bounds).",
        function.name.as_str()
    );
    let docstring = if placeholders.is_empty() {
        format!("{indent}\"\"\"{summary}\"\"\"{eol}")
    } else {
        let names: Vec<String> = placeholders.iter().map(|p| format!("`{p}`")).collect();
        let todo = format!(
            "TODO(flask-harden): no bound found in the models for {}; the max_length=1_000 limits are placeholders to review.",
            names.join(", ")
        );
        let mut lines = vec![String::new()];
        for word in todo.split(' ') {
            let line = lines.last_mut().expect("one line");
            if !line.is_empty() && line.len() + 1 + word.len() > 72 {
                lines.push(word.to_owned());
            } else {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
            }
        }
        let body: String = lines.iter().map(|l| format!("{indent}{l}{eol}")).collect();
        format!("{indent}\"\"\"{summary}{eol}{eol}{body}{indent}\"\"\"{eol}")
    };
    class = format!("class {model}(BaseModel):{eol}{docstring}{eol}{class}");
    class.push_str(eol);
    class.push_str(eol);
    // One import edit per module; an existing `jsonify` (aliased or not) is reused.
    let mut imports = ImportPlan::new(checker.module());
    let jsonify = imports.name("flask", "jsonify");
    let inner = format!("{block_indent}{indent}");
    let validate = format!(
        "{block_indent}try:{eol}{inner}{model}.model_validate({data}){eol}{block_indent}except ValidationError as exc:{eol}{inner}return {jsonify}(errors=exc.errors(include_url=False, include_context=False)), 422{eol}"
    );
    if class.contains(": Optional[") {
        imports.name("typing", "Optional");
    }
    if class.contains(": Any") {
        imports.name("typing", "Any");
    }
    if class.contains("[Annotated[") {
        imports.name("typing", "Annotated");
    }
    for name in ["BaseModel", "ValidationError"] {
        imports.name("pydantic", name);
    }
    if class.contains("Field(") {
        imports.name("pydantic", "Field");
    }
    let mut edits = vec![
        Edit::insertion(class, def_line.start()),
        Edit::insertion(validate, at),
    ];
    edits.extend(imports.edits());
    Some(Fix::unsafe_(
        format!(
            "Validate the request data with a generated pydantic model `{model}` (review its bounds)"
        ),
        edits,
    )
    .needing(crate::deps::PYDANTIC))
}

/// The first statement of a top-level `if request.method == "POST":` block
/// (any method but GET/HEAD, `==` or `in (...)`) of the view that holds its
/// first unvalidated read, when no other part of the view reads request data.
fn method_block<'a>(
    function: &'a ast::StmtFunctionDef,
    reads: &BodyReads,
    request: &str,
) -> Option<&'a Stmt> {
    let first_read = reads.first_unvalidated?;
    let (index, branch) = function.body.iter().enumerate().find_map(|(i, stmt)| {
        let Stmt::If(branch) = stmt else { return None };
        branch
            .range()
            .contains_range(first_read)
            .then_some((i, branch))
    })?;
    if !is_write_method_test(&branch.test, request) {
        return None;
    }
    let outside = function
        .body
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, stmt)| stmt)
        .chain(branch.elif_else_clauses.iter().flat_map(|c| c.body.iter()));
    let mut finder = RequestDataFinder {
        request,
        found: false,
    };
    for stmt in outside {
        finder.visit_stmt(stmt);
    }
    if finder.found {
        return None;
    }
    branch.body.first()
}

/// `request.method == "POST"` or `request.method in ("POST", "PUT")`: a test
/// that holds only for methods that carry data (never GET or HEAD).
fn is_write_method_test(test: &Expr, request: &str) -> bool {
    let Expr::Compare(compare) = test else {
        return false;
    };
    let is_method = |e: &Expr| {
        matches!(e, Expr::Attribute(a) if a.attr.as_str() == "method"
            && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == request))
    };
    let write_method = |e: &Expr| {
        matches!(e, Expr::StringLiteral(s)
            if !matches!(s.value.to_str().to_ascii_uppercase().as_str(), "GET" | "HEAD" | "OPTIONS"))
    };
    let ([op], [right]) = (&*compare.ops, &*compare.comparators) else {
        return false;
    };
    if !is_method(&compare.left) {
        return false;
    }
    match (op, right) {
        (CmpOp::Eq, value) => write_method(value),
        (
            CmpOp::In,
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }),
        ) => !elts.is_empty() && elts.iter().all(write_method),
        _ => false,
    }
}

/// Finds a read of the validated sources (`request.form`, `.args`, `.values`,
/// `.json`, `.get_json`) on the view's `request` object.
struct RequestDataFinder<'r> {
    request: &'r str,
    found: bool,
}

impl<'a> Visitor<'a> for RequestDataFinder<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Attribute(attr) = expr
            && matches!(
                attr.attr.as_str(),
                "form" | "args" | "values" | "json" | "get_json"
            )
            && matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == self.request)
        {
            self.found = true;
        }
        visitor::walk_expr(self, expr);
    }
}

/// Digits only, at most seven: what `int()` and `type=int` turn into an
/// integer from 0 to 9 999 999, and nothing they would refuse or read otherwise.
const DIGITS: &str = r#"pattern=r"^[0-9]{1,7}$""#;

/// A field's type and `Field(...)` bounds, chosen so that the values the view
/// reads after validation are exactly the validated ones (the model checks the
/// raw data, it converts nothing the view then sees):
/// - form, query and values data are strings: a `str` with `max_length`, or,
///   when the view converts it with `int(...)` / `type=int`, a `str` of digits
///   (lax `int` would accept `"5.0"`, which `int()` refuses with a 500 and
///   `type=int` turns into the default); a `getlist` field is a bounded list of
///   them, validated in full;
/// - a JSON value keeps its JSON type: `int` with `strict=True` for an
///   `int(...)` read (a JSON string, float or boolean is refused rather than
///   coerced), a digits `str` when the view also uses it as a string, a strict
///   `str` when it calls a string method on it, `Any` otherwise.
fn field_type(field: &FieldRead, json: bool) -> (String, String) {
    let pair = |ty: &str, bounds: &str| (ty.to_owned(), bounds.to_owned());
    if json {
        return match (field.integer, field.string) {
            (true, true) => pair("str", DIGITS),
            (true, false) => pair("int", "strict=True, ge=0, le=1_000_000"),
            (false, true) => pair("str", "strict=True, max_length=1_000"),
            (false, false) => pair("Any", ""),
        };
    }
    let item = if field.integer {
        DIGITS
    } else {
        "max_length=1_000"
    };
    if field.multi {
        let count = if field.required {
            "min_length=1, max_length=1_000"
        } else {
            "max_length=1_000"
        };
        return (
            format!("list[Annotated[str, Field({item})]]"),
            count.to_owned(),
        );
    }
    pair("str", item)
}

/// Whether the view answers PUT or PATCH (a partial update): its fields are
/// optional, so a request that changes one field keeps working.
fn partial_update(function: &ast::StmtFunctionDef) -> bool {
    function.decorator_list.iter().any(|decorator| {
        let Expr::Call(call) = &decorator.expression else {
            return false;
        };
        let Expr::Attribute(attr) = &*call.func else {
            return false;
        };
        match attr.attr.as_str() {
            "put" | "patch" => true,
            "route" => call.arguments.find_keyword("methods").is_some_and(|k| {
                let methods: Vec<&Expr> = match &k.value {
                    Expr::List(l) => l.elts.iter().collect(),
                    Expr::Tuple(t) => t.elts.iter().collect(),
                    Expr::Set(s) => s.elts.iter().collect(),
                    _ => Vec::new(),
                };
                let names: Vec<String> = methods
                    .iter()
                    .filter_map(|m| m.as_string_literal_expr())
                    .map(|m| m.value.to_str().to_ascii_uppercase())
                    .collect();
                names.iter().any(|m| m == "PUT" || m == "PATCH")
                    && !names.iter().any(|m| m == "POST")
            }),
            _ => false,
        }
    })
}

/// What the project's other files say that the generated model needs.
#[derive(Debug, Clone, Default)]
struct ProjectFacts {
    /// The project pins pydantic below 2.
    pydantic_one: bool,
    /// `field -> max length` from SQLAlchemy `String(N)` columns and WTForms
    /// `Length(max=N)` validators (the smallest when several disagree).
    max_lengths: std::collections::BTreeMap<String, usize>,
}

/// The [`ProjectFacts`] of the checker's project, read once per project.
fn project_facts(checker: &Checker) -> ProjectFacts {
    static CACHE: std::sync::LazyLock<
        std::sync::Mutex<std::collections::HashMap<std::path::PathBuf, ProjectFacts>>,
    > = std::sync::LazyLock::new(Default::default);
    let root = crate::analysis::csp::project_dir(checker.source().path());
    if let Some(facts) = CACHE.lock().ok().and_then(|c| c.get(&root).cloned()) {
        return facts;
    }
    let facts = read_project_facts(&root);
    if let Ok(mut cache) = CACHE.lock() {
        cache.insert(root, facts.clone());
    }
    facts
}

fn read_project_facts(root: &std::path::Path) -> ProjectFacts {
    static PYDANTIC_ONE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"(?im)^\s*["']?pydantic\s*(?:\[[^\]]*\])?\s*(?:==\s*1\.|~=\s*1\.|<\s*2|<=\s*1\.|>=\s*1[^,\n]*,\s*<\s*2|=\s*["'][\^~]1\.)"#,
        )
        .expect("valid regex")
    });
    static COLUMN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?m)^\s+(\w+)\s*(?::[^=\n]*)?=\s*(?:\w+\.)?(?:Column|mapped_column)\(\s*(?:\w+\.)?(?:String|Unicode|VARCHAR)\(\s*(?:length\s*=\s*)?(\d+)",
        )
        .expect("valid regex")
    });
    static WTFORMS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?m)^\s+(\w+)\s*=\s*(?:\w+\.)?\w*Field\([^\n]*Length\([^)\n]*max\s*=\s*(\d+)",
        )
        .expect("valid regex")
    });
    let mut facts = ProjectFacts::default();
    let mut read = 0usize;
    for entry in crate::analysis::discovery::project_walk(root, 6, &[]) {
        if read > 2_000 || !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let dependency_file = (name.starts_with("requirements") && name.ends_with(".txt"))
            || name == "pyproject.toml"
            || name == "setup.py"
            || name == "setup.cfg";
        let python = name.ends_with(".py");
        if !(dependency_file || python) || entry.metadata().is_ok_and(|m| m.len() > 1024 * 1024) {
            continue;
        }
        read += 1;
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        if dependency_file && PYDANTIC_ONE.is_match(&text) {
            facts.pydantic_one = true;
        }
        if python && (text.contains("String(") || text.contains("Length(")) {
            for capture in COLUMN
                .captures_iter(&text)
                .chain(WTFORMS.captures_iter(&text))
            {
                if let Ok(max) = capture[2].parse::<usize>() {
                    let entry = facts
                        .max_lengths
                        .entry(capture[1].to_owned())
                        .or_insert(max);
                    *entry = (*entry).min(max);
                }
            }
        }
    }
    facts
}

fn is_identifier(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(
            name,
            "False"
                | "None"
                | "True"
                | "and"
                | "as"
                | "assert"
                | "async"
                | "await"
                | "break"
                | "class"
                | "continue"
                | "def"
                | "del"
                | "elif"
                | "else"
                | "except"
                | "finally"
                | "for"
                | "from"
                | "global"
                | "if"
                | "import"
                | "in"
                | "is"
                | "lambda"
                | "nonlocal"
                | "not"
                | "or"
                | "pass"
                | "raise"
                | "return"
                | "try"
                | "while"
                | "with"
                | "yield"
        )
}

fn camel_case(name: &str) -> String {
    name.split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Whether `call` validates its argument with a schema: pydantic
/// `Model.model_validate(...)` / `model_validate_json` / `parse_obj`,
/// `TypeAdapter(...).validate_python(...)` / `validate_json`, marshmallow
/// `Schema().load(...)` / `loads`, or `Model(**data)` of a class.
pub fn is_validator_call(semantic: &SemanticModel, call: &ast::ExprCall) -> bool {
    match &*call.func {
        Expr::Attribute(attr) => match attr.attr.as_str() {
            "model_validate"
            | "model_validate_json"
            | "model_validate_strings"
            | "parse_obj"
            | "parse_raw"
            | "validate_python"
            | "validate_json"
            | "validate_strings" => true,
            "load" | "loads" | "validate" => match &*attr.value {
                // `ProductSchema().load(...)`, `self.schema.load(...)`, `schema.load(...)`,
                // but not `json.loads(...)` / `yaml.load(...)` / `pickle.loads(...)`.
                Expr::Call(_) => true,
                other => semantic.resolve_qualified_name(other).is_none(),
            },
            _ => false,
        },
        _ => false,
    }
}

/// Whether `call` builds a model from keyword arguments: `Model(**data)`.
fn is_model_construction(call: &ast::ExprCall, value: &Expr) -> bool {
    let callee = match &*call.func {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return false,
    };
    callee.chars().next().is_some_and(char::is_uppercase)
        && call
            .arguments
            .keywords
            .iter()
            .any(|k| k.arg.is_none() && std::ptr::eq(&k.value, value))
}

/// A scalar read the view converts to a number: `x.get("page", 1, type=int)`
/// (or `type=float`), or `int(x.get("page", 1))` / `float(...)` of a read with
/// a default. The conversion is the type check (shared/RULES.md, FH301): typed
/// pagination is idiomatic and a non-number never reaches the view as a string.
fn is_typed_scalar(flow: &ScopeFlow<'_, '_>, node: &Node<'_, '_>) -> bool {
    const NUMBERS: &[&str] = &["builtins.int", "builtins.float"];
    let depth = node.ancestors.len();
    let Some(Expr::Attribute(attr)) = node.parent() else {
        return false;
    };
    if attr.attr.as_str() != "get" || !std::ptr::eq(&*attr.value, node.expr) {
        return false;
    }
    let Some(&call_expr) = depth.checked_sub(2).and_then(|i| node.ancestors.get(i)) else {
        return false;
    };
    let Expr::Call(call) = call_expr else {
        return false;
    };
    if !matches!(&*call.func, Expr::Attribute(f) if std::ptr::eq(f, attr)) {
        return false;
    }
    if let Some(kind) = call.arguments.find_keyword("type") {
        return flow.semantic().resolves_to(&kind.value, NUMBERS);
    }
    let has_default =
        call.arguments.args.len() >= 2 || call.arguments.find_keyword("default").is_some();
    has_default
        && depth
            .checked_sub(3)
            .and_then(|i| node.ancestors.get(i))
            .is_some_and(|outer| {
                matches!(outer, Expr::Call(c)
                    if c.arguments.args.len() == 1
                        && std::ptr::eq(&c.arguments.args[0], call_expr)
                        && flow.semantic().resolves_to(&c.func, NUMBERS))
            })
}

/// How a value (a request read or a variable holding one) is used where it appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use<'a> {
    /// Passed to a schema.
    Validated,
    /// Only compared with `None` or tested for truth.
    Checked,
    /// The whole value of `name = ...`.
    Bound(&'a str),
    /// Anything else.
    Raw,
}

fn classify_use<'a>(flow: &ScopeFlow<'_, 'a>, node: &Node<'_, 'a>) -> Use<'a> {
    if is_typed_scalar(flow, node) {
        return Use::Checked;
    }
    let mut current = node.expr;
    let mut index = node.ancestors.len();
    // Climb through `x or {}`, `x.to_dict()`, `x.getlist("k")`, `dict(x)` and
    // dict displays (`{**x.to_dict(), "k": x.getlist("k")}`).
    while index > 0 {
        let parent = node.ancestors[index - 1];
        match parent {
            Expr::BoolOp(_) => {
                current = parent;
                index -= 1;
            }
            Expr::Dict(dict)
                if dict
                    .items
                    .iter()
                    .any(|item| std::ptr::eq(&item.value, current)) =>
            {
                current = parent;
                index -= 1;
            }
            Expr::Attribute(attr)
                if matches!(attr.attr.as_str(), "to_dict" | "copy" | "getlist")
                    && index >= 2
                    && matches!(node.ancestors[index - 2], Expr::Call(c) if std::ptr::eq(&*c.func, parent)) =>
            {
                current = node.ancestors[index - 2];
                index -= 2;
            }
            Expr::Call(call)
                if flow.semantic().resolves_to(&call.func, &["builtins.dict"])
                    && call.arguments.args.len() == 1 =>
            {
                current = parent;
                index -= 1;
            }
            _ => break,
        }
    }
    if index == 0 {
        return match node.statement() {
            Stmt::Assign(assign)
                if std::ptr::eq(&*assign.value, current) && assign.targets.len() == 1 =>
            {
                match &assign.targets[0] {
                    Expr::Name(name) => Use::Bound(name.id.as_str()),
                    _ => Use::Raw,
                }
            }
            Stmt::If(s) if std::ptr::eq(&*s.test, current) => Use::Checked,
            Stmt::While(s) if std::ptr::eq(&*s.test, current) => Use::Checked,
            Stmt::Assert(s) if std::ptr::eq(&*s.test, current) => Use::Checked,
            _ => Use::Raw,
        };
    }
    match node.ancestors[index - 1] {
        Expr::Call(call) => {
            let positional = call.arguments.args.iter().any(|a| std::ptr::eq(a, current));
            if (positional && is_validator_call(flow.semantic(), call))
                || is_model_construction(call, current)
            {
                Use::Validated
            } else {
                Use::Raw
            }
        }
        Expr::Compare(cmp)
            if cmp
                .ops
                .iter()
                .all(|op| matches!(op, CmpOp::Is | CmpOp::IsNot | CmpOp::Eq | CmpOp::NotEq))
                && std::iter::once(&*cmp.left)
                    .chain(cmp.comparators.iter())
                    .any(|e| e.is_none_literal_expr()) =>
        {
            Use::Checked
        }
        Expr::UnaryOp(op) if op.op == ast::UnaryOp::Not => Use::Checked,
        _ => Use::Raw,
    }
}

/// A field of request data that a route reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRead {
    /// The key: `title` in `request.form["title"]` or `data.get("title")`.
    pub name: String,
    /// Read with a subscript (a missing key fails), not with `.get()`.
    pub required: bool,
    /// Converted to an integer (`int(...)`, `.get(..., type=int)`).
    pub integer: bool,
    /// Assigned to a variable that is iterated (`for row in rows`): a list.
    pub list: bool,
    /// Used directly as a string (`data["name"].strip()`): proven a `str`.
    pub string: bool,
    /// Read with `getlist(...)`: every value of a form, query or values field.
    pub multi: bool,
}

/// Methods that only `str` has among the JSON value types: calling one on a
/// field proves the view treats it as a string.
const STRING_METHODS: &[&str] = &[
    "strip",
    "lstrip",
    "rstrip",
    "lower",
    "upper",
    "casefold",
    "title",
    "capitalize",
    "startswith",
    "endswith",
    "encode",
    "split",
    "rsplit",
    "splitlines",
    "isdigit",
    "isalnum",
    "isalpha",
    "isnumeric",
    "isdecimal",
    "format",
    "zfill",
    "partition",
];

/// `name` of `name = request.args.get("next")` or `name = data["next"]`: the
/// variable a single field read is assigned to.
fn field_variable<'a>(node: &Node<'_, 'a>) -> Option<&'a str> {
    let depth = node.ancestors.len();
    let parent = node.parent()?;
    let value: &Expr = match parent {
        Expr::Subscript(sub)
            if std::ptr::eq(&*sub.value, node.expr)
                && matches!(&*sub.slice, Expr::StringLiteral(_)) =>
        {
            parent
        }
        Expr::Attribute(attr) if attr.attr.as_str() == "get" => {
            let call = *node.ancestors.get(depth.checked_sub(2)?)?;
            match call {
                Expr::Call(c) if std::ptr::eq(&*c.func, parent) => call,
                _ => return None,
            }
        }
        _ => return None,
    };
    match node.statement() {
        Stmt::Assign(assign) if std::ptr::eq(&*assign.value, value) => match &assign.targets[..] {
            [Expr::Name(target)] => Some(target.id.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// The field a value is indexed with where it appears: `x["name"]`,
/// `x.get("name")`, `x.getlist("name")`.
fn field_read(flow: &ScopeFlow, node: &Node<'_, '_>) -> Option<FieldRead> {
    let parent = node.parent()?;
    let depth = node.ancestors.len();
    let mut multi = false;
    let (name, required, outer_index) = match parent {
        Expr::Subscript(sub) if std::ptr::eq(&*sub.value, node.expr) => match &*sub.slice {
            Expr::StringLiteral(s) => (s.value.to_str().to_owned(), true, depth.checked_sub(2)),
            _ => return None,
        },
        Expr::Attribute(attr) if matches!(attr.attr.as_str(), "get" | "getlist") => {
            let Expr::Call(call) = node.ancestors.get(depth.checked_sub(2)?)? else {
                return None;
            };
            let Some(Expr::StringLiteral(s)) = call.arguments.args.first() else {
                return None;
            };
            let typed_int = call
                .arguments
                .find_keyword("type")
                .is_some_and(|k| flow.semantic().resolves_to(&k.value, &["builtins.int"]));
            if typed_int {
                return Some(FieldRead {
                    name: s.value.to_str().to_owned(),
                    required: false,
                    integer: true,
                    list: false,
                    string: false,
                    multi: attr.attr.as_str() == "getlist",
                });
            }
            multi = attr.attr.as_str() == "getlist";
            (s.value.to_str().to_owned(), false, depth.checked_sub(3))
        }
        _ => return None,
    };
    let integer = outer_index
        .and_then(|i| node.ancestors.get(i))
        .is_some_and(|outer| matches!(outer, Expr::Call(c) if flow.semantic().resolves_to(&c.func, &["builtins.int"])));
    // `rows = data["rows"]` ... `for row in rows`.
    let value = outer_index
        .and_then(|i| node.ancestors.get(i + 1))
        .copied()
        .unwrap_or(parent);
    let list = match node.statement() {
        Stmt::Assign(assign) if std::ptr::eq(&*assign.value, value) => {
            matches!(&assign.targets[..], [Expr::Name(target)] if flow.is_iterated(target.id.as_str()))
        }
        _ => false,
    };
    // `data["name"].strip()`: the value itself is the receiver of a `str` method.
    let string = outer_index
        .and_then(|i| node.ancestors.get(i))
        .is_some_and(|outer| matches!(outer, Expr::Attribute(attr) if STRING_METHODS.contains(&attr.attr.as_str())));
    Some(FieldRead {
        name,
        required,
        integer,
        list,
        string,
        multi,
    })
}

/// The source a body read comes from: `json` (also `get_json()`), `form`,
/// `args` or `values`; and the range of the `request` object in it.
fn read_source(expr: &Expr) -> Option<(&'static str, TextRange)> {
    let (attr, request) = match expr {
        Expr::Attribute(attr) => (attr.attr.as_str(), &*attr.value),
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(attr) => (attr.attr.as_str(), &*attr.value),
            _ => return None,
        },
        _ => return None,
    };
    let source = match attr {
        "json" | "get_json" => "json",
        "form" => "form",
        "args" => "args",
        "values" => "values",
        _ => return None,
    };
    Some((source, request.range()))
}

/// What FH301 needs to know about one route function: its reads of
/// `json`/`get_json()`/`form`/`args`/`values`, whether each ends up in a schema,
/// and the fields used. Reads of a source that the function validates with a
/// schema elsewhere count as validated (the whole body went through it).
#[derive(Debug, Default)]
pub struct BodyReads {
    /// The first read whose data is not validated.
    pub first_unvalidated: Option<TextRange>,
    /// The fields read from request data (in order, unique by name).
    pub fields: Vec<FieldRead>,
    /// The sources of the unvalidated reads (`json`, `form`, `args`, `values`).
    pub unvalidated_sources: Vec<&'static str>,
    /// The `request` object as written in the first unvalidated read.
    pub request: Option<TextRange>,
    /// Whether the function validates some request data with a schema.
    pub validates_some: bool,
    /// The arguments of the first unvalidated `get_json(...)` call, when that
    /// read is a call (`None` for `request.json`).
    pub json_call: Option<JsonCall>,
}

/// The arguments a view passes to `request.get_json(...)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonCall {
    /// The arguments without their parentheses.
    pub arguments: TextRange,
    /// Only `force=`, `silent=` and `cache=` keywords (no positional or `**`).
    pub keywords_only: bool,
    /// A `silent=` keyword is among them.
    pub silent: bool,
}

impl JsonCall {
    fn of(expr: &Expr) -> Option<Self> {
        let Expr::Call(call) = expr else { return None };
        let arguments = &call.arguments;
        let keywords_only = arguments.args.is_empty()
            && arguments.keywords.iter().all(|k| {
                k.arg
                    .as_ref()
                    .is_some_and(|a| matches!(a.as_str(), "force" | "silent" | "cache"))
            });
        let inner = TextRange::new(
            arguments.start() + ruff_text_size::TextSize::from(1),
            arguments.end() - ruff_text_size::TextSize::from(1),
        );
        Some(Self {
            arguments: inner,
            keywords_only,
            silent: arguments.find_keyword("silent").is_some(),
        })
    }
}

impl BodyReads {
    /// Analyses the route function of `flow`.
    pub fn of(flow: &ScopeFlow<'_, '_>) -> Self {
        #[allow(clippy::type_complexity)]
        let mut reads: Vec<(
            TextRange,
            Use,
            &'static str,
            TextRange,
            Option<JsonCall>,
            Option<&str>,
        )> = Vec::new();
        let mut uses: HashMap<&str, (usize, usize, usize)> = HashMap::default();
        let mut fields: Vec<FieldRead> = Vec::new();
        let mut bound: HashSet<&str> = HashSet::default();
        let push_field = |fields: &mut Vec<FieldRead>, node: &Node| {
            if let Some(field) = field_read(flow, node) {
                match fields.iter_mut().find(|f| f.name == field.name) {
                    Some(known) => {
                        known.required |= field.required;
                        known.integer |= field.integer;
                        known.list |= field.list;
                        known.string |= field.string;
                        known.multi |= field.multi;
                    }
                    None => fields.push(field),
                }
            }
        };
        // First pass: the reads, and which variables hold one.
        flow.walk(|node| {
            if flow.request_read(node.expr) == Some(RequestRead::Body)
                && let Some((source, request)) = read_source(node.expr)
            {
                let usage = classify_use(flow, node);
                if let Use::Bound(name) = usage {
                    bound.insert(name);
                }
                // `next = request.args.get("next")`: one field in a variable,
                // validated when every use of it is guarded by a check.
                let variable = (usage == Use::Raw).then(|| field_variable(node)).flatten();
                if let Some(name) = variable {
                    bound.insert(name);
                }
                push_field(&mut fields, node);
                let call = JsonCall::of(node.expr);
                reads.push((node.expr.range(), usage, source, request, call, variable));
            }
        });
        // Second pass: how those variables are used.
        if !bound.is_empty() {
            flow.walk(|node| {
                let Expr::Name(name) = node.expr else { return };
                if !name.ctx.is_load() || !bound.contains(name.id.as_str()) {
                    return;
                }
                push_field(&mut fields, node);
                let entry = uses.entry(name.id.as_str()).or_default();
                if is_typed_scalar(flow, node) {
                    // `args = request.args` then `args.get("page", 1, type=int)`.
                    entry.2 += 1;
                    return;
                }
                // `x in ALLOWED`, `urlsplit(x).netloc`: the check itself, and
                // the uses it guards (which then check their own field).
                if flow.in_sanitizing_test(node) {
                    return;
                }
                if flow.sanitized(node.expr, node) {
                    entry.2 += 1;
                    return;
                }
                // `data["id"] = ...` / `del data["x"]` before `schema.load(data)`:
                // the view writes the field, it reads nothing.
                if matches!(node.parent(), Some(Expr::Subscript(sub))
                    if std::ptr::eq(&*sub.value, node.expr) && !sub.ctx.is_load())
                {
                    return;
                }
                match classify_use(flow, node) {
                    Use::Validated => entry.0 += 1,
                    Use::Checked => {}
                    Use::Bound(_) | Use::Raw => entry.1 += 1,
                }
            });
        }
        reads.sort_by_key(|(range, ..)| range.start());
        let validated: Vec<bool> = reads
            .iter()
            .map(|(_, usage, .., variable)| match usage {
                Use::Validated | Use::Checked => true,
                Use::Bound(name) => uses
                    .get(name)
                    .is_some_and(|(validated, raw, typed)| *validated + *typed > 0 && *raw == 0),
                Use::Raw => variable.is_some_and(|name| {
                    uses.get(name)
                        .is_some_and(|(_, raw, typed)| *typed > 0 && *raw == 0)
                }),
            })
            .collect();
        // A source counts as validated by a schema only; typed scalar reads
        // (`type=int`) and guarded fields check their own field, not the rest
        // of the source.
        let schema_validated = |usage: &Use| match usage {
            Use::Checked | Use::Raw => false,
            Use::Bound(name) => uses.get(name).is_some_and(|(validated, ..)| *validated > 0),
            _ => true,
        };
        let validated_sources: HashSet<&str> = reads
            .iter()
            .zip(&validated)
            .filter(|((_, usage, ..), ok)| **ok && schema_validated(usage))
            .map(|((_, _, source, ..), _)| *source)
            .collect();
        let mut out = Self {
            fields,
            validates_some: !validated_sources.is_empty(),
            ..Self::default()
        };
        for ((range, _, source, request, call, _), ok) in reads.iter().zip(&validated) {
            if *ok || validated_sources.contains(source) {
                continue;
            }
            if out.first_unvalidated.is_none() {
                out.first_unvalidated = Some(*range);
                out.request = Some(*request);
            }
            if *source == "json" && out.json_call.is_none() {
                out.json_call = *call;
            }
            if !out.unvalidated_sources.contains(source) {
                out.unvalidated_sources.push(source);
            }
        }
        out
    }

    /// The names of the fields, for messages.
    pub fn field_names(&self) -> Vec<&str> {
        self.fields.iter().map(|f| f.name.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::parse::parse_python;
    use crate::analysis::request_data::{Links, Scopes, scopes_of, walk_scopes};
    use crate::analysis::semantic::SemanticModel;

    #[test]
    fn body_reads_know_validation() {
        let src = r#"
from flask import request
@bp.post("/a")
def a():
    return Model.model_validate(request.get_json(silent=True) or {})
@bp.post("/b")
def b():
    payload = request.get_json(silent=True)
    if payload is None:
        return 400
    return Model.model_validate(payload)
@bp.post("/c")
def c():
    data = request.get_json()
    return data["title"]
@bp.get("/d")
def d():
    return ProductSchema().load(request.args.to_dict())
@bp.get("/e")
def e():
    return request.args.get("limit", 5, type=int)
@bp.post("/f")
def f():
    Model.model_validate({**request.form.to_dict(), "tag": request.form.getlist("tag")})
    return request.form.getlist("tag")
@bp.post("/g")
def g():
    return {"tag": request.form.getlist("tag")}
"#;
        let module = parse_python(src);
        let semantic = SemanticModel::new(module.suite());
        let mut results = Vec::new();
        let scopes = scopes_of(src, &module);
        walk_scopes(&semantic, module.suite(), &scopes, Scopes::All, Links::NONE, |flow| {
            if flow.is_route() {
                let reads = BodyReads::of(flow);
                let names: Vec<String> =
                    reads.field_names().into_iter().map(str::to_owned).collect();
                let multi: Vec<bool> = reads.fields.iter().map(|f| f.multi).collect();
                results.push((reads.first_unvalidated.is_some(), names, multi));
            }
        });
        assert_eq!(
            results,
            vec![
                (false, vec![], vec![]),
                (false, vec![], vec![]),
                (true, vec!["title".to_owned()], vec![false]),
                (false, vec![], vec![]),
                // Typed scalar reads are type-checked (RULES.md, FH301).
                (false, vec!["limit".to_owned()], vec![false]),
                // A dict display passed to the model validates what it holds.
                (false, vec!["tag".to_owned()], vec![true]),
                (true, vec!["tag".to_owned()], vec![true]),
            ]
        );
    }
}
