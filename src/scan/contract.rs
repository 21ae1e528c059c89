//! Contract-driven checks: the operations an OpenAPI 3 / Swagger 2 contract
//! says require security are requested without credentials (GET only, at most
//! [`MAX_OPERATIONS`], one at a time); a 2xx answer is a finding. The contract
//! comes from `--openapi FILE|URL` or is discovered at `/openapi.json`,
//! `/swagger.json` or `/apispec_1.json`.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

/// The most operations probed in one scan.
pub const MAX_OPERATIONS: usize = 100;
/// The largest contract file read.
pub const MAX_CONTRACT_BYTES: u64 = 5 * 1024 * 1024;

/// Why a contract could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    #[error("cannot read the contract {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the contract {0} is larger than 5 MB")]
    TooLarge(String),
    #[error("the contract {source_name} is not JSON: {error}")]
    Json {
        source_name: String,
        error: serde_json::Error,
    },
    #[error(
        "{0} is not an OpenAPI 3 or Swagger 2 document (no \"openapi\"/\"swagger\" and \"paths\")"
    )]
    NotAContract(String),
    #[error(
        "the contract URL {0} is not on the scanned origin: --header values are sent only to the scanned origin; download the contract and pass the file"
    )]
    OtherOrigin(String),
}

/// One GET (or HEAD) operation of the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// `GET` or `HEAD`.
    pub method: &'static str,
    /// The path as the contract writes it, base path included: `/api/users/{id}`.
    pub template: String,
    /// The path to request, parameters filled in: `/api/users/1`.
    pub path: String,
    /// The contract requires security for it (non-empty `security`, not optional).
    pub secured: bool,
    /// It belongs to an admin or role-restricted part of the API (path, tags,
    /// operationId or scopes mention `admin`, or `x-roles` lists roles).
    pub admin: bool,
}

/// A parsed contract: where it came from and its read operations.
#[derive(Debug, Clone)]
pub struct Contract {
    pub source: String,
    pub operations: Vec<Operation>,
}

/// What the report says about the contract-driven part of the scan.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Surface {
    /// The contract's file or URL.
    pub contract: String,
    /// Read operations in the contract.
    pub operations: usize,
    /// Of those, the ones that require security (all were requested).
    pub secured: usize,
    /// The public read operations (`GET /health`): the unauthenticated surface.
    pub public: Vec<String>,
    /// Secured operations not requested because of the cap.
    pub skipped: usize,
}

/// Reads a contract file (at most 5 MB).
pub fn read_file(path: &Path) -> Result<Contract, ContractError> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| ContractError::Read {
        path: name.clone(),
        source,
    })?;
    if meta.len() > MAX_CONTRACT_BYTES {
        return Err(ContractError::TooLarge(name));
    }
    let text = std::fs::read(path).map_err(|source| ContractError::Read {
        path: name.clone(),
        source,
    })?;
    parse(&text, &name)
}

/// Parses a contract from its JSON text.
pub fn parse(text: &[u8], source_name: &str) -> Result<Contract, ContractError> {
    let doc: Value = serde_json::from_slice(text).map_err(|error| ContractError::Json {
        source_name: source_name.to_string(),
        error,
    })?;
    from_value(&doc, source_name)
}

/// Whether a JSON document is an OpenAPI 3 / Swagger 2 contract.
pub fn is_contract(doc: &Value) -> bool {
    (doc.get("openapi").is_some() || doc.get("swagger").is_some())
        && doc.get("paths").is_some_and(Value::is_object)
}

fn from_value(doc: &Value, source_name: &str) -> Result<Contract, ContractError> {
    if !is_contract(doc) {
        return Err(ContractError::NotAContract(source_name.to_string()));
    }
    let base = base_path(doc);
    let global_security = doc.get("security");
    let mut operations = Vec::new();
    let paths = doc["paths"].as_object().expect("checked by is_contract");
    for (template, item) in paths {
        let shared_parameters = item.get("parameters");
        for (key, method) in [("get", "GET"), ("head", "HEAD")] {
            let Some(op) = item.get(key) else { continue };
            let security = op.get("security").or(global_security);
            let (secured, scopes) = requirement(security);
            let mut parameters: Vec<&Value> = Vec::new();
            for list in [shared_parameters, op.get("parameters")]
                .into_iter()
                .flatten()
            {
                parameters.extend(list.as_array().into_iter().flatten());
            }
            let full = format!("{}{}", base.trim_end_matches('/'), template);
            let mentions_admin = |v: &str| v.to_ascii_lowercase().contains("admin");
            let admin = mentions_admin(&full)
                || op
                    .get("tags")
                    .and_then(Value::as_array)
                    .is_some_and(|t| t.iter().filter_map(Value::as_str).any(mentions_admin))
                || op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .is_some_and(mentions_admin)
                || scopes.iter().any(|s| mentions_admin(s))
                // Roles the operation requires (flask-harden's generated
                // contracts declare them): role-restricted, like an admin view.
                || op
                    .get("x-roles")
                    .and_then(Value::as_array)
                    .is_some_and(|roles| !roles.is_empty());
            operations.push(Operation {
                method,
                path: fill(&full, &parameters, doc),
                template: full,
                secured,
                admin,
            });
        }
    }
    Ok(Contract {
        source: source_name.to_string(),
        operations,
    })
}

/// The base path requests go under: OpenAPI 3 `servers[0].url` (its path part
/// only: requests never leave the scanned origin), Swagger 2 `basePath`.
fn base_path(doc: &Value) -> String {
    if let Some(base) = doc.get("basePath").and_then(Value::as_str) {
        return base.to_string();
    }
    let Some(server) = doc
        .get("servers")
        .and_then(Value::as_array)
        .and_then(|s| s.first())
        .and_then(|s| s.get("url"))
        .and_then(Value::as_str)
    else {
        return String::new();
    };
    match url::Url::parse(server) {
        Ok(url) => url.path().trim_end_matches('/').to_string(),
        // A relative server URL (`/api/v1`).
        Err(_) => server.trim_end_matches('/').to_string(),
    }
}

/// Whether a security requirement list demands credentials, and its scopes.
/// An absent or empty list, or one with an empty requirement object (`{}`:
/// authentication optional), demands none.
fn requirement(security: Option<&Value>) -> (bool, Vec<String>) {
    let Some(list) = security.and_then(Value::as_array) else {
        return (false, Vec::new());
    };
    if list.is_empty()
        || list
            .iter()
            .any(|r| r.as_object().is_some_and(|o| o.is_empty()))
    {
        return (false, Vec::new());
    }
    let scopes = list
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|o| o.values())
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    (true, scopes)
}

/// Fills `{name}` path parameters from the contract: `example`, the schema's
/// `example`, `default` or first `enum` value, else a value of the type (`1`
/// for numbers and most strings, a UUID for `format: uuid`).
fn fill(template: &str, parameters: &[&Value], doc: &Value) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..open + close];
        let value = parameters
            .iter()
            .map(|p| resolve(p, doc))
            .find(|p| {
                p.get("name").and_then(Value::as_str) == Some(name)
                    && p.get("in").and_then(Value::as_str) == Some("path")
            })
            .map(|p| example_of(p, doc))
            .unwrap_or_else(|| "1".to_string());
        out.push_str(&percent_encode(&value));
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// Follows a local `$ref` (`#/components/parameters/Id`).
fn resolve<'d>(value: &'d Value, doc: &'d Value) -> &'d Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|pointer| doc.pointer(pointer))
            .unwrap_or(value),
        None => value,
    }
}

fn example_of(parameter: &Value, doc: &Value) -> String {
    let schema = parameter
        .get("schema")
        .map(|s| resolve(s, doc))
        .unwrap_or(parameter);
    let candidates = [
        parameter.get("example"),
        schema.get("example"),
        schema.get("default"),
        schema.get("enum").and_then(|e| e.get(0)),
    ];
    if let Some(value) = candidates.into_iter().flatten().next() {
        return match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
    }
    match (
        schema.get("type").and_then(Value::as_str),
        schema.get("format").and_then(Value::as_str),
    ) {
        (_, Some("uuid")) => "00000000-0000-4000-8000-000000000001".to_string(),
        (Some("boolean"), _) => "true".to_string(),
        _ => "1".to_string(),
    }
}

/// Percent-encodes what may not appear in a path segment.
fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPENAPI: &str = r##"{
      "openapi": "3.1.0",
      "info": {"title": "t", "version": "1"},
      "servers": [{"url": "https://api.example.com/api/v1"}],
      "security": [{"bearer": []}],
      "components": {"parameters": {"Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "example": 7}}}},
      "paths": {
        "/health": {"get": {"security": []}},
        "/users/{id}": {"parameters": [{"$ref": "#/components/parameters/Id"}], "get": {}, "delete": {}},
        "/admin/stats": {"get": {"tags": ["admin"]}},
        "/items/{slug}": {"get": {"security": [{}, {"bearer": []}], "parameters": [{"name": "slug", "in": "path", "schema": {"type": "string"}}]}},
        "/files/{key}": {"get": {"parameters": [{"name": "key", "in": "path", "schema": {"type": "string", "format": "uuid"}}]}},
        "/reports": {"get": {"x-roles": ["auditor"]}},
        "/stock": {"get": {"x-roles": []}}
      }
    }"##;

    #[test]
    fn operations_security_and_parameters() {
        let contract = parse(OPENAPI.as_bytes(), "openapi.json").unwrap();
        let ops: Vec<(&str, &str, bool, bool)> = contract
            .operations
            .iter()
            .map(|o| (o.method, o.path.as_str(), o.secured, o.admin))
            .collect();
        assert_eq!(
            ops,
            // Paths in sorted order.
            [
                ("GET", "/api/v1/admin/stats", true, true),
                (
                    "GET",
                    "/api/v1/files/00000000-0000-4000-8000-000000000001",
                    true,
                    false
                ),
                ("GET", "/api/v1/health", false, false),
                ("GET", "/api/v1/items/1", false, false),
                ("GET", "/api/v1/reports", true, true),
                ("GET", "/api/v1/stock", true, false),
                ("GET", "/api/v1/users/7", true, false),
            ]
        );
    }

    #[test]
    fn swagger_two_and_errors() {
        let swagger = r#"{"swagger": "2.0", "basePath": "/v2", "securityDefinitions": {}, "paths": {"/pets/{name}": {"get": {"security": [{"key": ["admin:read"]}], "parameters": [{"name": "name", "in": "path", "type": "string", "enum": ["a b"]}]}}}}"#;
        let contract = parse(swagger.as_bytes(), "swagger.json").unwrap();
        assert_eq!(contract.operations[0].path, "/v2/pets/a%20b");
        assert!(contract.operations[0].secured && contract.operations[0].admin);
        assert!(matches!(
            parse(b"{\"status\": 1}", "x.json"),
            Err(ContractError::NotAContract(_))
        ));
        assert!(matches!(
            parse(b"<html>", "x.json"),
            Err(ContractError::Json { .. })
        ));
    }
}
