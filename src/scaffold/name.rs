//! Project name rules: the name becomes the project folder and, with `-`
//! replaced by `_`, the Python package, so it must yield a valid, importable
//! package name that shadows neither Python's keywords nor the stack's modules.

use super::ScaffoldError;

/// Python keywords and soft keywords that cannot name a package.
const KEYWORDS: &[&str] = &[
    "false", "none", "true", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield", "match", "case", "type",
];

/// Module names a generated package must not shadow (standard library modules the
/// stack imports, the stack's own packages, and the project's top-level files).
const RESERVED: &[&str] = &[
    "flask",
    "werkzeug",
    // Flask's own dependencies and those of the stack's packages: a package of
    // that name would be imported instead of them, and Flask would not import.
    "click",
    "jinja2",
    "itsdangerous",
    "markupsafe",
    "blinker",
    "pydantic_core",
    "annotated_types",
    "typing_extensions",
    "typing_inspection",
    "packaging",
    "deprecated",
    "wrapt",
    "ordered_set",
    "rich",
    "markdown_it",
    "mdurl",
    "pygments",
    "cffi",
    "pycparser",
    "greenlet",
    "flask_talisman",
    "flask_limiter",
    "limits",
    "flask_cors",
    "pydantic",
    "flask_jwt_extended",
    "jwt",
    "cryptography",
    "gunicorn",
    "dotenv",
    "pytest",
    "bandit",
    "ruff",
    "sqlalchemy",
    "flask_sqlalchemy",
    "redis",
    "tests",
    "test",
    "wsgi",
    "gunicorn_conf",
    "conftest",
    "os",
    "sys",
    "json",
    "logging",
    "secrets",
    "typing",
    "dataclasses",
    "datetime",
    "threading",
    "uuid",
    "re",
    "io",
    "site",
    "code",
    "string",
    "types",
    "collections",
    "functools",
    "hashlib",
    "hmac",
    "ipaddress",
    "pathlib",
    "urllib",
    "email",
    "http",
    "socket",
    "ssl",
    "time",
    "random",
    "abc",
    "enum",
    "math",
    "copy",
    "inspect",
    "warnings",
    "contextlib",
    "config",
];

/// The longest accepted name.
pub const MAX_LEN: usize = 64;

/// Checks a project name and returns the Python package name it yields.
pub fn package_name(name: &str) -> Result<String, ScaffoldError> {
    let invalid = |reason: &str| ScaffoldError::InvalidName {
        name: name.to_string(),
        reason: reason.to_string(),
    };
    if name.is_empty() {
        return Err(invalid("it is empty"));
    }
    if name.len() > MAX_LEN {
        return Err(invalid("it is longer than 64 characters"));
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(invalid("it must start with a lowercase letter (a-z)"));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        return Err(invalid(
            "use only lowercase letters, digits, `_` and `-` (the Python package name replaces `-` with `_`)",
        ));
    }
    if name.ends_with(['-', '_']) {
        return Err(invalid("it must not end with `-` or `_`"));
    }
    let package = name.replace('-', "_");
    if KEYWORDS.contains(&package.as_str()) {
        return Err(invalid("it is a Python keyword"));
    }
    if RESERVED.contains(&package.as_str()) {
        return Err(invalid(&format!(
            "the package `{package}` would shadow a module the project imports"
        )));
    }
    Ok(package)
}

#[cfg(test)]
mod tests {
    use super::package_name;

    #[test]
    fn accepts_valid_names() {
        assert_eq!(package_name("myapi").unwrap(), "myapi");
        assert_eq!(package_name("billing-api2").unwrap(), "billing_api2");
        assert_eq!(package_name("a_b").unwrap(), "a_b");
    }

    #[test]
    fn rejects_bad_names_with_a_reason() {
        for (name, reason) in [
            ("", "empty"),
            ("1api", "start with a lowercase letter"),
            ("My-Api", "start with a lowercase letter"),
            ("my.api", "use only"),
            ("my api", "use only"),
            ("../x", "start with"),
            ("api-", "end with"),
            ("class", "keyword"),
            ("flask", "shadow"),
            ("tests", "shadow"),
        ] {
            let err = package_name(name).unwrap_err().to_string();
            assert!(err.contains(reason), "{name}: {err}");
        }
        assert!(package_name(&"a".repeat(65)).is_err());
    }
}
