//! FH502 `sensitive-data-logged`: a logging call (`logging.*`, `app.logger.*`,
//! `current_app.logger.*`, a module logger, `print` in a view) whose message
//! includes a value named like a password, token, secret, API key or
//! credential, or the `Authorization` header.

use ruff_python_ast::{self as ast, Expr, InterpolatedStringElement, Operator};
use ruff_text_size::Ranged;

use crate::analysis::checker::Checker;
use crate::analysis::codes::Rule;
use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::flask;
use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;

/// The rule's documentation, printed by `flask-harden rule FH502`.
pub const DOC: &str = r#"## What it does
Finds logging calls whose message includes a secret: a variable, attribute,
subscript or `.get(...)` key named like a password, token, secret, API key or
credential (`password`, `form.password.data`, `user.api_key`,
`data["token"]`, `request.form.get("password")`, `os.environ.get("SECRET_KEY")`),
or the `Authorization` header (`request.headers["Authorization"]`,
`request.authorization`). The message counts in every form: f-string, `%`
formatting, `.format()`, concatenation, the logger's extra arguments and
`extra={...}`. Logging calls are `logging.info(...)` and the other levels,
`app.logger.*`, `current_app.logger.*`, `self.logger.*`, loggers from
`logging.getLogger(...)` and names such as `logger`/`log`, and `print(...)`
inside a view.

A secret word only in the literal text (`logger.info("password reset for %s",
email)`) is not reported, nor are values that are not the secret itself:
names such as `token_type`, `password_changed_at`, `is_password_set`, a call
such as `len(password)` or `mask(token)`, or a slice such as `token[:6]`.

## Why is this bad?
Log lines travel much further than the database: files on disk, log
shippers, monitoring services, support tickets and the people who read them.
A password or a bearer token written there can be replayed by anyone with
read access to the logs, long after the request.

## Example
```python
@app.post("/login")
def login():
    password = request.form["password"]
    app.logger.info("login attempt %s / %s", request.form["email"], password)
```

Use instead:
```python
@app.post("/login")
def login():
    app.logger.info("login attempt for %s", request.form["email"])
```

## Fix safety
Report only: remove the secret from the message, or log something that
identifies it without revealing it (the user id, the token's `jti`, the last
four characters). For request logging, drop the `Authorization` and `Cookie`
headers before logging headers.

## References
- CWE-532: Insertion of Sensitive Information into Log File, https://cwe.mitre.org/data/definitions/532.html
- OWASP Top 10 A09:2021 Security Logging and Monitoring Failures, https://owasp.org/Top10/A09_2021-Security_Logging_and_Monitoring_Failures/
- OWASP Logging Cheat Sheet: Data to exclude, https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "sensitive-data-logged",
    fix: FixAvailability::None,
    cwe: "CWE-532",
    owasp: "A09:2021",
    owasp_title: "Security Logging and Monitoring Failures",
    summary: "A password, token, secret or Authorization header written to the logs",
    doc: Some(DOC),
    hooks: Hooks {
        call: Some(check_call),
        ..Hooks::NONE
    },
};

/// Logger methods that write a message.
const LEVELS: &[&str] = &[
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "fatal",
    "log",
];

/// Words that make a name a secret.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwords",
    "passwd",
    "pwd",
    "passphrase",
    "token",
    "tokens",
    "secret",
    "secrets",
    "apikey",
    "authorization",
    "credential",
    "credentials",
    "jwt",
    "otp",
];

/// Word pairs that make a name a secret (`api_key`, `X-Api-Key`).
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("private", "key"),
    ("access", "key"),
    ("auth", "header"),
    ("bearer", "value"),
];

/// A last word that makes a name something about the secret, not the secret.
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "type",
    "types",
    "expiry",
    "expires",
    "expiration",
    "exp",
    "ttl",
    "lifetime",
    "age",
    "at",
    "time",
    "date",
    "id",
    "ids",
    "len",
    "length",
    "size",
    "count",
    "name",
    "names",
    "url",
    "uri",
    "endpoint",
    "field",
    "fields",
    "file",
    "path",
    "policy",
    "min",
    "max",
    "required",
    "valid",
    "set",
    "changed",
    "strength",
    "prompt",
    "label",
    "error",
    "errors",
    "attempts",
    "location",
    "kind",
    "format",
    "prefix",
    "hint",
    "version",
    "algorithm",
    "algorithms",
    "alg",
    "status",
    "state",
    "reset",
    "revoked",
    "used",
    "sent",
    "expired",
    "scope",
    "scopes",
    "form",
    "manager",
    "serializer",
    "var",
    "env",
    "mode",
    "enabled",
    "payload",
    "claims",
    "identity",
    "user",
    "owner",
    "jti",
    "sub",
];

/// A first word that makes a name a flag or a count about the secret.
const NOT_SECRET_PREFIXES: &[&str] = &[
    "is", "has", "should", "use", "uses", "require", "requires", "needs", "allow", "no", "num",
    "n", "max", "min",
];

/// Attributes that hold the value of the object before them (`form.password.data`).
const VALUE_ATTRIBUTES: &[&str] = &["data", "value", "raw_data", "plain", "text"];

/// A logging call (or `print` in a view) whose message holds a secret.
pub(crate) fn check_call(checker: &mut Checker, call: &ast::ExprCall) {
    let Some(skip) = message_start(checker, call) else {
        return;
    };
    let arguments = call.arguments.args.iter().skip(skip).chain(
        call.arguments
            .keywords
            .iter()
            .filter(|k| {
                k.arg
                    .as_ref()
                    .is_some_and(|a| matches!(a.as_str(), "msg" | "extra"))
            })
            .map(|k| &k.value),
    );
    let Some((found, what)) = arguments.into_iter().find_map(sensitive) else {
        return;
    };
    let message = format!(
        "The log message includes {what}: whoever reads the logs can reuse it. Log something that identifies it without revealing it (a user id, a token id, the last four characters), or nothing"
    );
    checker.report(Diagnostic::new(
        Rule::SensitiveDataLogged,
        found.range(),
        message,
    ));
}

/// For a logging call, the index of the first positional argument that is part
/// of the message (1 for `logger.log(level, msg, ...)`, else 0); `None` when
/// the call does not log.
fn message_start(checker: &Checker, call: &ast::ExprCall) -> Option<usize> {
    match &*call.func {
        Expr::Name(name) if name.id.as_str() == "print" => {
            (!checker.semantic().is_imported("print") && in_view(checker)).then_some(0)
        }
        Expr::Attribute(attr) if LEVELS.contains(&attr.attr.as_str()) => {
            let method = attr.attr.as_str();
            is_logger(checker, &attr.value).then_some(usize::from(method == "log"))
        }
        _ => None,
    }
}

/// Whether `expr` is the `logging` module or a logger.
fn is_logger(checker: &Checker, expr: &Expr) -> bool {
    let semantic = checker.semantic();
    if semantic.resolves_to(expr, &["logging"]) {
        return true;
    }
    match expr {
        Expr::Attribute(attr) => {
            let name = attr.attr.as_str().to_ascii_lowercase();
            name == "logger" || name.ends_with("_logger") || name == "log"
        }
        Expr::Call(call) => is_logger_factory(checker, call),
        Expr::Name(name) => {
            let id = name.id.as_str();
            if semantic.is_imported(id) {
                return false;
            }
            if let Some(Expr::Call(call)) = semantic.assigned_value(id) {
                return is_logger_factory(checker, call);
            }
            let lower = id.to_ascii_lowercase();
            let lower = lower.trim_start_matches('_');
            lower == "log"
                || lower == "logger"
                || lower.ends_with("_logger")
                || lower.ends_with("_log")
        }
        _ => false,
    }
}

/// `logging.getLogger(...)`, `structlog.get_logger(...)`.
fn is_logger_factory(checker: &Checker, call: &ast::ExprCall) -> bool {
    checker.semantic().resolves_to(
        &call.func,
        &[
            "logging.getLogger",
            "structlog.get_logger",
            "structlog.getLogger",
        ],
    )
}

/// Whether the walk is inside a view: a function decorated with
/// `@x.route(...)` / `@x.get("/...")` (post, put, patch, delete), or an HTTP
/// method of a class-based view.
fn in_view(checker: &Checker) -> bool {
    let semantic = checker.semantic();
    let Some(function) = semantic.current_function() else {
        return false;
    };
    let decorated = function
        .decorator_list
        .iter()
        .any(|decorator| flask::route_decorator(decorator).is_some());
    decorated
        || (matches!(
            function.name.as_str(),
            "get" | "post" | "put" | "patch" | "delete"
        ) && semantic.current_class().is_some_and(flask::is_class_view))
}

/// The first part of `expr` that carries a secret, with a description.
fn sensitive(expr: &Expr) -> Option<(&Expr, String)> {
    match expr {
        Expr::Name(name) => is_secret_name(&name.id).then(|| (expr, format!("`{}`", name.id))),
        Expr::Attribute(attr) => {
            if is_secret_name(&attr.attr) {
                return Some((expr, format!("`.{}`", attr.attr)));
            }
            if VALUE_ATTRIBUTES.contains(&attr.attr.as_str()) {
                return sensitive(&attr.value).map(|(_, what)| (expr, what));
            }
            None
        }
        Expr::Subscript(sub) => match &*sub.slice {
            Expr::Slice(_) => None,
            Expr::StringLiteral(key) => is_secret_name(key.value.to_str())
                .then(|| (expr, format!("the `{}` value", key.value.to_str()))),
            _ => sensitive(&sub.value).map(|(_, what)| (expr, what)),
        },
        Expr::FString(fstring) => fstring.value.elements().find_map(|element| match element {
            InterpolatedStringElement::Interpolation(i) => sensitive(&i.expression),
            InterpolatedStringElement::Literal(_) => None,
        }),
        Expr::BinOp(binop) if matches!(binop.op, Operator::Add | Operator::Mod) => {
            sensitive(&binop.left).or_else(|| sensitive(&binop.right))
        }
        Expr::Tuple(tuple) => tuple.elts.iter().find_map(sensitive),
        Expr::List(list) => list.elts.iter().find_map(sensitive),
        Expr::Dict(dict) => dict.items.iter().find_map(|item| {
            if let Some(Expr::StringLiteral(key)) = &item.key
                && is_secret_name(key.value.to_str())
                && !matches!(item.value, Expr::NoneLiteral(_))
            {
                return Some((&item.value, format!("the `{}` value", key.value.to_str())));
            }
            sensitive(&item.value)
        }),
        Expr::Call(call) => sensitive_call(expr, call),
        _ => None,
    }
}

/// Calls that pass a secret through (`str(token)`, `"{}".format(token)`,
/// `json.dumps(data)`) or read one by key (`form.get("password")`,
/// `os.environ.get("SECRET_KEY")`, `getattr(user, "password")`).
fn sensitive_call<'e>(expr: &'e Expr, call: &'e ast::ExprCall) -> Option<(&'e Expr, String)> {
    let positional = || call.arguments.args.iter().find_map(sensitive);
    match &*call.func {
        Expr::Name(name) => match name.id.as_str() {
            "str" | "repr" | "format" | "dict" => positional(),
            "getattr" => match call.arguments.args.get(1) {
                Some(Expr::StringLiteral(key)) if is_secret_name(key.value.to_str()) => {
                    Some((expr, format!("the `{}` attribute", key.value.to_str())))
                }
                _ => None,
            },
            "getenv" => by_key(expr, call),
            _ => None,
        },
        Expr::Attribute(attr) => match attr.attr.as_str() {
            "format" => positional().or_else(|| {
                call.arguments
                    .keywords
                    .iter()
                    .find_map(|k| sensitive(&k.value))
            }),
            "dumps" => positional(),
            "get" | "getlist" | "pop" | "getenv" => by_key(expr, call),
            _ => None,
        },
        _ => None,
    }
}

/// `x.get("password")`: a secret when the key is named like one.
fn by_key<'e>(expr: &'e Expr, call: &'e ast::ExprCall) -> Option<(&'e Expr, String)> {
    match call.arguments.args.first() {
        Some(Expr::StringLiteral(key)) if is_secret_name(key.value.to_str()) => {
            Some((expr, format!("the `{}` value", key.value.to_str())))
        }
        _ => None,
    }
}

/// Whether an identifier or key names a secret: one of its words (split on
/// `_`, `-`, `.`, spaces, digits and camelCase) is a secret word, or two
/// adjacent words make one (`api_key`), unless the last word says it is about
/// the secret (`token_type`, `password_changed_at`) or the first makes it a
/// flag or a count (`is_password_set`, `num_tokens`).
pub(crate) fn is_secret_name(name: &str) -> bool {
    let words = words(name);
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    if NOT_SECRET_SUFFIXES.contains(&last.as_str())
        || (words.len() > 1 && NOT_SECRET_PREFIXES.contains(&first.as_str()))
    {
        return false;
    }
    words.iter().any(|w| SECRET_WORDS.contains(&w.as_str()))
        || words
            .windows(2)
            .any(|pair| SECRET_PAIRS.contains(&(pair[0].as_str(), pair[1].as_str())))
}

/// The lower-case words of an identifier.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphabetic() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;

    #[test]
    fn secret_names() {
        for name in [
            "password",
            "new_password",
            "passwd",
            "access_token",
            "refreshToken",
            "api_key",
            "X-Api-Key",
            "Authorization",
            "client_secret",
            "SECRET_KEY",
            "password_hash",
            "tokens",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "email",
            "token_type",
            "password_changed_at",
            "is_password_set",
            "num_tokens",
            "tokenizer",
            "secretary",
            "token_expires",
            "password_reset",
            "user_id",
            "keyboard",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }
}
