//! FH302 `sql-injection`: SQL built by string formatting from non-literal
//! values and passed to `execute`, `executemany`, `executescript`, `text()`,
//! `raw()` or `from_statement`.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use crate::analysis::checker::FlowChecker;
use crate::analysis::codes::Rule;
use crate::analysis::diagnostic::{Diagnostic, Edit, Fix};
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::request_data::ScopeFlow;
use crate::analysis::rules::Hooks;
use crate::analysis::semantic::SemanticModel;
use crate::analysis::sql_params::{ParamStyle, bind_parameters};

/// The rule's documentation, printed by `flask-harden rule FH302`.
pub const DOC: &str = r#"## What it does
Finds SQL built with an f-string, `%`, `.format()` or `+` from request data or
any other non-literal value, and passed to a DB-API `execute`, `executemany` or
`executescript`, to SQLAlchemy `text()` or `from_statement`, or to a `raw()`
query. A SQL string built into a variable first (`sql = "..." + x`) is
reported where it is executed. Constant SQL (`executescript(SCHEMA)`) and
bound parameters are fine.

## Why is this bad?
Whoever controls the interpolated value controls the query: `' OR 1=1 --`
returns every row, `; DROP TABLE` destroys data, and stacked or UNION queries
read other tables, including password hashes. Escaping by hand is fragile;
bound parameters are handled by the driver and are never parsed as SQL.

## Example
```python
term = request.args.get("q", "")
db.execute(f"SELECT id, title FROM posts WHERE title LIKE '%{term}%'")
conn.execute(text("SELECT * FROM sales WHERE region = '%s'" % region))
```

Use instead:
```python
db.execute("SELECT id, title FROM posts WHERE title LIKE ?", (f"%{term}%",))
conn.execute(text("SELECT * FROM sales WHERE region = :region"), {"region": region})
```
Table and column names cannot be bound: check them against an allow-list.

## Fix safety
The fix is unsafe (the query is built differently) and is offered only where
the driver's placeholder style is certain: SQLAlchemy `text()` becomes
`text("... :name").bindparams(name=value)`; `execute` in a module whose only
DB-API driver is `sqlite3` gets `?` placeholders and a parameter tuple, and one
whose only driver is psycopg, PyMySQL or MySQLdb gets `%s`. A value inside a
quoted SQL literal (`'%{term}%'`) becomes one parameter (`f"%{term}%"`). SQL
built in a variable first, a value in a table or column position, or a
statement that is not a data statement (`SET`, `ALTER`, `CREATE`, `PRAGMA`...,
where databases refuse placeholders) is reported only.

## References
- CWE-89: Improper Neutralization of Special Elements used in an SQL Command, https://cwe.mitre.org/data/definitions/89.html
- OWASP Top 10 A03:2021 Injection, https://owasp.org/Top10/A03_2021-Injection/
- OWASP SQL Injection Prevention Cheat Sheet, https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html
- SQLAlchemy: Using Textual SQL, https://docs.sqlalchemy.org/en/20/tutorial/dbapi_transactions.html#sending-parameters
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "sql-injection",
    fix: FixAvailability::SometimesUnsafe,
    cwe: "CWE-89",
    owasp: "A03:2021",
    owasp_title: "Injection",
    summary: "SQL built by string formatting from non-literal values",
    doc: Some(DOC),
    hooks: Hooks {
        flow_sink: Some(is_sink),
        flow_call: Some(check),
        ..Hooks::NONE
    },
};

const TEXT: &[&str] = &[
    "sqlalchemy.text",
    "sqlalchemy.sql.text",
    "sqlalchemy.sql.expression.text",
];

const EXECUTE_METHODS: &[&str] = &[
    "execute",
    "executemany",
    "executescript",
    "exec_driver_sql",
    "raw",
    "from_statement",
];

const SQL_WORDS: &[&str] = &[
    "select ",
    "insert ",
    "update ",
    "delete ",
    "create ",
    "drop ",
    "alter ",
    "replace ",
    "pragma ",
    "truncate ",
    " from ",
    " where ",
    " into ",
    " set ",
    "values",
];

/// DB-API drivers whose placeholder style is `%s`.
const FORMAT_DRIVERS: &[&str] = &["psycopg2", "psycopg", "pymysql", "MySQLdb"];
/// Other drivers: with any of them imported, the style of `execute` is not certain.
const OTHER_DRIVERS: &[&str] = &[
    "mysql",
    "pg8000",
    "asyncpg",
    "cx_Oracle",
    "oracledb",
    "pyodbc",
    "aiosqlite",
    "duckdb",
];

/// Whether `call` may be a sink of this rule (`text(...)` or an execute
/// method): the checker marks the scopes that have one, and only those are
/// analysed for request data.
pub(crate) fn is_sink(semantic: &SemanticModel, call: &ast::ExprCall) -> bool {
    semantic
        .imported_callee_name(call)
        .is_some_and(|callee| callee == "text" || EXECUTE_METHODS.contains(&callee))
}

/// Reports `execute`/`text()` calls given SQL built from non-literal values.
pub(crate) fn check(checker: &mut FlowChecker, call: &ast::ExprCall) {
    let flow = checker.flow();
    let text = checker.source().text();
    if !is_sink(flow.semantic(), call) {
        return;
    }
    let is_text = flow.semantic().resolves_to(&call.func, TEXT);
    let method = match &*call.func {
        Expr::Attribute(attr) if !is_text => attr.attr.as_str(),
        _ if is_text => "text",
        _ => return,
    };
    if !is_text && !EXECUTE_METHODS.contains(&method) {
        return;
    }
    let Some(sql) = sql_argument(call) else {
        return;
    };
    // `execute(text(...))`: the `text()` call is the one reported.
    if let Expr::Call(inner) = sql
        && flow.semantic().resolves_to(&inner.func, TEXT)
    {
        return;
    }
    let request = flow.is_request_data(sql);
    if !request && !flow.is_dynamic_string(sql) {
        return;
    }
    if !is_text && !request && !looks_like_sql(&flow.literal_text(sql)) {
        return;
    }
    let origin = if request {
        "request data"
    } else {
        "a non-literal value"
    };
    let style = match method {
        "text" => "`text(\"... WHERE x = :x\")` with a parameters dict",
        "executescript" => "separate `execute(\"... ?\", params)` calls with bound parameters",
        _ => "bound parameters (`?` for sqlite3, `%s` for DB-API drivers, `:name` for SQLAlchemy)",
    };
    let message = format!(
        "SQL built by string formatting from {origin} is passed to `{method}()`: this allows SQL injection. Use {style}, and check table or column names against an allow-list"
    );
    let mut diagnostic = Diagnostic::new(Rule::SqlInjection, call.range(), message);
    if let Some(fix) = bound_parameters_fix(flow, call, method, sql, text) {
        diagnostic = diagnostic.with_fix(fix);
    }
    checker.report(diagnostic);
}

/// Rewrites the call with bound parameters when the driver's style is certain:
/// SQLAlchemy `text()` (`:name`, through `.bindparams(...)`), `execute` in a
/// module whose only DB-API driver is sqlite3 (`?`) or one `%s` driver.
fn bound_parameters_fix(
    flow: &ScopeFlow,
    call: &ast::ExprCall,
    method: &str,
    sql: &Expr,
    text: &str,
) -> Option<Fix> {
    let arguments = &call.arguments;
    if arguments.args.len() != 1 || !arguments.keywords.is_empty() {
        return None;
    }
    let style = match method {
        "text" => ParamStyle::Named,
        "execute" => {
            let formats: Vec<&&str> = FORMAT_DRIVERS
                .iter()
                .filter(|d| flow.module_imports(d))
                .collect();
            let others = OTHER_DRIVERS.iter().any(|d| flow.module_imports(d));
            let sqlite = flow.module_imports("sqlite3");
            match (sqlite, formats.len(), others) {
                (true, 0, false) => ParamStyle::Qmark,
                (false, 1, false) => ParamStyle::Format,
                _ => return None,
            }
        }
        _ => return None,
    };
    let query = bind_parameters(sql, text, style)?;
    let edit = if style == ParamStyle::Named {
        let assignments: Vec<String> = query
            .params
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        Edit::replacement(
            format!(
                "{}({}).bindparams({})",
                &text[call.func.range()],
                query.sql,
                assignments.join(", ")
            ),
            call.range(),
        )
    } else {
        let values: Vec<&str> = query.params.iter().map(|(_, v)| v.as_str()).collect();
        let tuple = if values.len() == 1 {
            format!("({},)", values[0])
        } else {
            format!("({})", values.join(", "))
        };
        Edit::replacement(format!("{}, {tuple}", query.sql), sql.range())
    };
    Some(Fix::unsafe_(
        "Bind the interpolated values as query parameters",
        vec![edit],
    ))
}

fn sql_argument(call: &ast::ExprCall) -> Option<&Expr> {
    call.arguments.args.first().or_else(|| {
        [
            "sql",
            "statement",
            "operation",
            "text",
            "raw_query",
            "sql_script",
        ]
        .iter()
        .find_map(|name| call.arguments.find_keyword(name).map(|k| &k.value))
    })
}

fn looks_like_sql(text: &str) -> bool {
    let normalized: String = text
        .chars()
        .map(|c| {
            if c.is_whitespace() {
                ' '
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    let normalized = format!("{normalized} ");
    SQL_WORDS.iter().any(|w| normalized.contains(w))
}
