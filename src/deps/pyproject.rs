//! Dependencies declared in `pyproject.toml`, read with `toml_edit` keeping the
//! byte span of every requirement, and the layout-preserving edits on them.
//!
//! Read: PEP 621 `[project].dependencies` and `[project.optional-dependencies]`,
//! PEP 735 `[dependency-groups]`, Poetry `[tool.poetry.dependencies]`,
//! `[tool.poetry.group.<name>.dependencies]` and `[tool.poetry.dev-dependencies]`.
//! Poetry constraints (`^2.2`, `~2.2`, `2.2.2`, `>=2,<3`) are read into the same
//! clauses as PEP 440 specifiers; `||` alternatives are not interpreted.
//!
//! Edits are computed as byte ranges on the original text (see [`super::edit`])
//! and the result is parsed again, so formatting, comments, order and CRLF
//! line endings of everything else stay byte-identical.

use std::ops::Range;

use toml_edit::{Document, Item, Table, Value};

use crate::edit::Edit;

use super::classify::{Role, group_role};
use super::edit::{append_block, apply_edits, array_append, array_remove, insert_line_after};
use super::requirement::{Clause, Op, normalize_name, parse_requirement};
use super::requirements_txt::detect_line_ending;

/// Where in `pyproject.toml` a dependency is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Section {
    /// `[project].dependencies`
    Project,
    /// `[project.optional-dependencies].<extra>`
    OptionalDependencies(String),
    /// `[dependency-groups].<group>`
    DependencyGroup(String),
    /// `[tool.poetry.dependencies]`
    Poetry,
    /// `[tool.poetry.group.<group>.dependencies]`
    PoetryGroup(String),
    /// `[tool.poetry.dev-dependencies]`
    PoetryDevDependencies,
}

impl Section {
    /// Production or development, per RULES.md.
    pub fn role(&self) -> Role {
        match self {
            Section::Project | Section::Poetry => Role::Production,
            Section::PoetryGroup(g) if g == "main" => Role::Production,
            Section::OptionalDependencies(g)
            | Section::DependencyGroup(g)
            | Section::PoetryGroup(g) => group_role(g),
            Section::PoetryDevDependencies => Role::Development,
        }
    }

    /// How a message names the section.
    pub fn describe(&self) -> String {
        match self {
            Section::Project => "[project].dependencies".into(),
            Section::OptionalDependencies(g) => format!("[project.optional-dependencies].{g}"),
            Section::DependencyGroup(g) => format!("[dependency-groups].{g}"),
            Section::Poetry => "[tool.poetry.dependencies]".into(),
            Section::PoetryGroup(g) => format!("[tool.poetry.group.{g}.dependencies]"),
            Section::PoetryDevDependencies => "[tool.poetry.dev-dependencies]".into(),
        }
    }
}

/// Where the dependency sits, for removal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// A string element of an array (PEP 621, PEP 735).
    ArrayElement {
        array: Range<usize>,
        elements: Vec<Range<usize>>,
        index: usize,
    },
    /// A `name = ...` line of a Poetry table.
    KeyValue {
        key: Range<usize>,
        value: Range<usize>,
    },
}

/// One declared dependency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyDependency {
    pub section: Section,
    pub name: String,
    /// PEP 503 normalised.
    pub normalized: String,
    /// What a finding points at: the string literal, or the Poetry `key = value`.
    pub range: Range<usize>,
    /// Version clauses; their ranges are file offsets when `exact`.
    pub clauses: Vec<Clause>,
    /// The literal holding the clauses maps byte for byte onto its value
    /// (no escapes), so the clause ranges can be edited in place.
    pub exact: bool,
    /// The extras it asks for (`flask[async]`, Poetry's `extras = [...]`).
    pub extras: Vec<String>,
    /// Its environment marker (PEP 508 `; ...`, Poetry's `markers = "..."`).
    pub marker: Option<String>,
    pub slot: Slot,
}

/// The dependencies of a `pyproject.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pyproject {
    pub dependencies: Vec<PyDependency>,
    pub line_ending: &'static str,
}

/// Why a `pyproject.toml` could not be read or edited.
#[derive(Debug, thiserror::Error)]
pub enum PyprojectError {
    #[error("invalid TOML: {0}")]
    Toml(#[from] toml_edit::TomlError),
    #[error("no [project] or [tool.poetry.dependencies] table to add a dependency to")]
    NoDependencyTable,
    #[error("the edited file does not parse again: {0}")]
    Reparse(String),
    #[error(transparent)]
    Edit(#[from] super::edit::EditError),
}

/// Parses TOML keeping spans into `text`. A UTF-8 BOM (which TOML parsers
/// reject) is read as three spaces, so every span still points into `text`.
fn parse_document(text: &str) -> Result<Document<String>, toml_edit::TomlError> {
    let owned = match text.strip_prefix('\u{feff}') {
        Some(rest) => format!("   {rest}"),
        None => text.to_string(),
    };
    Document::parse(owned)
}

/// Parses the dependency tables of a `pyproject.toml`.
pub fn parse(text: &str) -> Result<Pyproject, PyprojectError> {
    let doc = parse_document(text)?;
    let mut dependencies = Vec::new();
    let root = doc.as_table();
    if let Some(project) = root.get("project").and_then(Item::as_table) {
        if let Some(array) = project.get("dependencies") {
            read_array(text, array, Section::Project, &mut dependencies);
        }
        if let Some(extras) = project
            .get("optional-dependencies")
            .and_then(Item::as_table_like)
        {
            for (extra, array) in extras.iter() {
                let section = Section::OptionalDependencies(extra.to_string());
                read_array(text, array, section, &mut dependencies);
            }
        }
    }
    if let Some(groups) = root.get("dependency-groups").and_then(Item::as_table_like) {
        for (group, array) in groups.iter() {
            let section = Section::DependencyGroup(group.to_string());
            read_array(text, array, section, &mut dependencies);
        }
    }
    if let Some(poetry) = root
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(Item::as_table)
    {
        if let Some(table) = poetry.get("dependencies").and_then(Item::as_table) {
            read_poetry_table(text, table, Section::Poetry, &mut dependencies);
        }
        if let Some(table) = poetry.get("dev-dependencies").and_then(Item::as_table) {
            read_poetry_table(
                text,
                table,
                Section::PoetryDevDependencies,
                &mut dependencies,
            );
        }
        if let Some(groups) = poetry.get("group").and_then(Item::as_table) {
            for (group, item) in groups.iter() {
                if let Some(table) = item.get("dependencies").and_then(Item::as_table) {
                    let section = Section::PoetryGroup(group.to_string());
                    read_poetry_table(text, table, section, &mut dependencies);
                }
            }
        }
    }
    Ok(Pyproject {
        dependencies,
        line_ending: detect_line_ending(text),
    })
}

/// The offset of a string literal's content and whether that content equals
/// the decoded value byte for byte.
fn literal_content(text: &str, span: &Range<usize>, value: &str) -> (usize, bool) {
    let raw = &text[span.clone()];
    let quote = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else {
        1
    };
    let inner = raw
        .get(quote..raw.len().saturating_sub(quote))
        .unwrap_or("");
    (span.start + quote, inner == value)
}

fn read_array(text: &str, item: &Item, section: Section, out: &mut Vec<PyDependency>) {
    let Some(array) = item.as_array() else {
        return;
    };
    let Some(array_span) = array.span() else {
        return;
    };
    let elements: Vec<Range<usize>> = array.iter().filter_map(Value::span).collect();
    if elements.len() != array.len() {
        return;
    }
    for (index, value) in array.iter().enumerate() {
        // `{include-group = "..."}` tables in dependency groups are not requirements.
        let Some(string) = value.as_str() else {
            continue;
        };
        let span = elements[index].clone();
        let (content, exact) = literal_content(text, &span, string);
        let base = if exact { content } else { 0 };
        let Ok(requirement) = parse_requirement(string, base) else {
            continue;
        };
        let marker = requirement
            .marker_range
            .map(|r| string[r.start - base..r.end - base].to_string());
        out.push(PyDependency {
            section: section.clone(),
            normalized: requirement.normalized,
            name: requirement.name,
            range: span,
            clauses: requirement.clauses,
            exact,
            extras: requirement.extras,
            marker,
            slot: Slot::ArrayElement {
                array: array_span.clone(),
                elements: elements.clone(),
                index,
            },
        });
    }
}

fn read_poetry_table(text: &str, table: &Table, section: Section, out: &mut Vec<PyDependency>) {
    for (name, item) in table.iter() {
        if name.eq_ignore_ascii_case("python") {
            continue;
        }
        let Some((key, _)) = table.get_key_value(name) else {
            continue;
        };
        let (Some(key_span), Some(value_span)) = (key.span(), item.span()) else {
            continue;
        };
        // The constraint is the string itself or the `version` of an inline table.
        let constraint = match item.as_value() {
            Some(Value::String(s)) => Some((s.value().as_str(), s.span())),
            Some(Value::InlineTable(t)) => match t.get("version") {
                Some(Value::String(s)) => Some((s.value().as_str(), s.span())),
                _ => None,
            },
            _ => None,
        };
        let table_str = |key: &str| match item.as_value() {
            Some(Value::InlineTable(t)) => t.get(key).cloned(),
            _ => None,
        };
        let extras = table_str("extras")
            .and_then(|v| {
                v.as_array().map(|a| {
                    a.iter()
                        .filter_map(|e| e.as_str().map(str::to_string))
                        .collect()
                })
            })
            .unwrap_or_default();
        let marker = table_str("markers").and_then(|v| v.as_str().map(str::to_string));
        let (clauses, exact) = match constraint {
            Some((value, Some(span))) => {
                let (content, exact) = literal_content(text, &span, value);
                let base = if exact { content } else { 0 };
                (parse_poetry_constraint(value, base), exact)
            }
            _ => (Vec::new(), false),
        };
        out.push(PyDependency {
            section: section.clone(),
            name: name.to_string(),
            normalized: normalize_name(name),
            range: key_span.start..value_span.end,
            clauses,
            exact,
            extras,
            marker,
            slot: Slot::KeyValue {
                key: key_span,
                value: value_span,
            },
        });
    }
}

/// Parses a Poetry version constraint into clauses (ranges shifted by `base`).
/// Returns no clauses for `*`, for `||` alternatives and for malformed text.
pub fn parse_poetry_constraint(constraint: &str, base: usize) -> Vec<Clause> {
    if constraint.contains("||") {
        return Vec::new();
    }
    let mut clauses = Vec::new();
    let mut offset = 0;
    for part in constraint.split(',') {
        let part_start = offset + (part.len() - part.trim_start().len());
        offset += part.len() + 1;
        let part = part.trim();
        if part.is_empty() || part == "*" {
            continue;
        }
        let (op, op_len) = [
            ("==", Op::Equal),
            ("!=", Op::NotEqual),
            ("~=", Op::Compatible),
            ("<=", Op::LessEqual),
            (">=", Op::GreaterEqual),
            ("^", Op::Caret),
            ("~", Op::Tilde),
            ("=", Op::Equal),
            ("<", Op::Less),
            (">", Op::Greater),
        ]
        .into_iter()
        .find(|(s, _)| part.starts_with(s))
        .map_or((Op::Bare, 0), |(s, op)| (op, s.len()));
        let rest = &part[op_len..];
        let version = rest.trim_start();
        let version_start = part_start + op_len + (rest.len() - version.len());
        if version.is_empty()
            || !version
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".*+!-_".contains(&b))
        {
            return Vec::new();
        }
        clauses.push(Clause {
            op,
            version: version.to_string(),
            op_range: base + part_start..base + part_start + op_len,
            version_range: base + version_start..base + version_start + version.len(),
            wildcard: version.ends_with(".*"),
        });
    }
    clauses
}

/// The end of the last `key = value` of `table` (dotted keys included), or of
/// its header when it has none.
fn table_body_end(table: &Table) -> Option<usize> {
    let mut end = table.span().map(|s| s.end);
    for (_, item) in table.iter() {
        let item_end = match item {
            Item::Value(v) => v.span().map(|s| s.end),
            Item::Table(t) if t.is_dotted() => table_body_end(t),
            _ => None,
        };
        end = end.max(item_end);
    }
    end
}

fn quote_for(text: &str, elements: &[Range<usize>]) -> char {
    elements
        .last()
        .and_then(|e| text[e.clone()].chars().next())
        .filter(|c| *c == '\'')
        .unwrap_or('"')
}

fn basic_string(value: &str) -> String {
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{escaped}\"")
}

/// Applies edits and checks the result is still valid TOML.
fn finish(text: &str, edits: &[Edit]) -> Result<String, PyprojectError> {
    let new_text = apply_edits(text, edits)?;
    parse_document(&new_text).map_err(|e| PyprojectError::Reparse(e.to_string()))?;
    Ok(new_text)
}

/// Adds a production dependency (a PEP 508 string such as
/// `flask-talisman>=1.1.0`). Returns `Ok(None)` when a production dependency
/// of that name is already declared.
pub fn add_dependency(text: &str, requirement: &str) -> Result<Option<String>, PyprojectError> {
    let parsed = parse_requirement(requirement, 0).map_err(|e| {
        PyprojectError::Reparse(format!("invalid requirement `{requirement}`: {e}"))
    })?;
    let existing = parse(text)?;
    if existing
        .dependencies
        .iter()
        .any(|d| d.normalized == parsed.normalized && d.section.role() == Role::Production)
    {
        return Ok(None);
    }
    let eol = existing.line_ending;
    let doc = parse_document(text)?;
    let root = doc.as_table();
    let project = root.get("project").and_then(Item::as_table);
    let dynamic_deps = project
        .and_then(|p| p.get("dynamic"))
        .and_then(Item::as_array)
        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some("dependencies")));
    let poetry_deps = root
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.get("dependencies"))
        .and_then(Item::as_table);

    if let Some(project) = project.filter(|_| !dynamic_deps) {
        if let Some(array) = project.get("dependencies").and_then(Item::as_array) {
            let (Some(span), elements) = (
                array.span(),
                array.iter().filter_map(Value::span).collect::<Vec<_>>(),
            ) else {
                return Err(PyprojectError::NoDependencyTable);
            };
            let item = match quote_for(text, &elements) {
                '\'' if !requirement.contains('\'') => format!("'{requirement}'"),
                _ => basic_string(requirement),
            };
            let edits = array_append(text, span, &elements, &item, eol);
            return finish(text, &edits).map(Some);
        }
        if poetry_deps.is_none() {
            let end = table_body_end(project).ok_or(PyprojectError::NoDependencyTable)?;
            let line = format!("dependencies = [{}]", basic_string(requirement));
            return finish(text, &[insert_line_after(text, end, &line, eol)]).map(Some);
        }
    }
    let table = poetry_deps.ok_or(PyprojectError::NoDependencyTable)?;
    let end = table_body_end(table).ok_or(PyprojectError::NoDependencyTable)?;
    let constraint = parsed
        .specifier_range
        .map_or("*".to_string(), |r| requirement[r].replace(' ', ""));
    let line = format!("{} = {}", parsed.name, basic_string(&constraint));
    finish(text, &[insert_line_after(text, end, &line, eol)]).map(Some)
}

/// The edits that remove a dependency from where it is declared, or `None`
/// when its layout is not one this module edits (an inline table entry that
/// shares its line, a `[tool.poetry.dependencies.name]` sub-table).
pub fn removal_edit(text: &str, dependency: &PyDependency) -> Option<Edit> {
    match &dependency.slot {
        Slot::ArrayElement {
            array,
            elements,
            index,
        } => Some(array_remove(text, array.clone(), elements, *index)),
        Slot::KeyValue { key, value } => {
            let start = super::edit::line_start(text, key.start);
            if !text[start..key.start].trim().is_empty() {
                return None;
            }
            let end = super::edit::line_end_inclusive(text, value.end);
            let rest = text[value.end..end].trim();
            (rest.is_empty() || rest.starts_with('#')).then(|| Edit::delete_bytes(start..end))
        }
    }
}

/// Moves every production declaration of `package` (normalised name) to the
/// development group: PEP 621 strings go to `[dependency-groups].dev` (or an
/// existing `dev` extra), Poetry entries to `[tool.poetry.group.dev.dependencies]`
/// (or an existing `[tool.poetry.dev-dependencies]`). Returns `Ok(None)` when
/// there is nothing to move or a declaration cannot be edited in place.
pub fn move_to_development(text: &str, package: &str) -> Result<Option<String>, PyprojectError> {
    match move_to_development_edits(text, package)? {
        Some(edits) => finish(text, &edits).map(Some),
        None => Ok(None),
    }
}

/// The edits of [`move_to_development`], on the original text.
pub fn move_to_development_edits(
    text: &str,
    package: &str,
) -> Result<Option<Vec<Edit>>, PyprojectError> {
    let parsed = parse(text)?;
    let eol = parsed.line_ending;
    let production: Vec<&PyDependency> = parsed
        .dependencies
        .iter()
        .filter(|d| d.normalized == package && d.section.role() == Role::Production)
        .collect();
    if production.is_empty() {
        return Ok(None);
    }
    let already_dev = |poetry: bool| {
        parsed.dependencies.iter().any(|d| {
            d.normalized == package
                && d.section.role() == Role::Development
                && matches!(d.slot, Slot::KeyValue { .. }) == poetry
        })
    };
    let mut edits = Vec::new();
    for dependency in &production {
        let Some(edit) = removal_edit(text, dependency) else {
            return Ok(None);
        };
        edits.push(edit);
    }
    let doc = parse_document(text)?;
    let root = doc.as_table();
    let mut pep621_added = already_dev(false);
    let mut poetry_added = already_dev(true);
    for dependency in &production {
        let raw = &text[dependency.range.clone()];
        match dependency.slot {
            Slot::ArrayElement { .. } if !pep621_added => {
                pep621_added = true;
                edits.extend(add_to_pep621_dev(text, root, raw, eol));
            }
            Slot::KeyValue { key: _, ref value } if !poetry_added => {
                poetry_added = true;
                let line = format!("{} = {}", dependency.name, &text[value.clone()]);
                edits.push(add_to_poetry_dev(text, root, &line, eol));
            }
            _ => {}
        }
    }
    // The result must parse again; otherwise the layout is not one handled here.
    finish(text, &edits)?;
    Ok(Some(edits))
}

fn add_to_pep621_dev(text: &str, root: &Table, literal: &str, eol: &str) -> Vec<Edit> {
    let groups = root.get("dependency-groups").and_then(Item::as_table);
    let extras = root
        .get("project")
        .and_then(|p| p.get("optional-dependencies"))
        .and_then(Item::as_table);
    for table in [groups, extras].into_iter().flatten() {
        if let Some(array) = table.get("dev").and_then(Item::as_array)
            && let Some(span) = array.span()
        {
            let elements: Vec<_> = array.iter().filter_map(Value::span).collect();
            return array_append(text, span, &elements, literal, eol);
        }
    }
    let line = format!("dev = [{literal}]");
    for table in [groups, extras].into_iter().flatten() {
        if let Some(end) = table_body_end(table) {
            return vec![insert_line_after(text, end, &line, eol)];
        }
    }
    vec![append_block(
        text,
        &["[dependency-groups]".to_string(), line],
        eol,
    )]
}

fn add_to_poetry_dev(text: &str, root: &Table, line: &str, eol: &str) -> Edit {
    let poetry = root
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(Item::as_table);
    let dev_group = poetry
        .and_then(|p| p.get("group"))
        .and_then(|g| g.get("dev"))
        .and_then(|d| d.get("dependencies"))
        .and_then(Item::as_table);
    let legacy = poetry
        .and_then(|p| p.get("dev-dependencies"))
        .and_then(Item::as_table);
    for table in [dev_group, legacy].into_iter().flatten() {
        if let Some(end) = table_body_end(table) {
            return insert_line_after(text, end, line, eol);
        }
    }
    append_block(
        text,
        &[
            "[tool.poetry.group.dev.dependencies]".to_string(),
            line.to_string(),
        ],
        eol,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEP621: &str = r#"[project]
name = "api"
# runtime deps
dependencies = [
    "Flask==2.2.2",  # pinned for the plugin
    "werkzeug>=2.0,<3 ; python_version >= '3.8'",
    'flask-debugtoolbar~=0.13',
]

[project.optional-dependencies]
dev = ["pytest"]
postgres = ["psycopg[binary]>=3"]

[dependency-groups]
lint = ["ruff"]
typing = [{include-group = "lint"}, "mypy"]
"#;

    #[test]
    fn reads_pep621_and_groups_with_spans() {
        let text = PEP621;
        let p = parse(text).unwrap();
        let names: Vec<_> = p
            .dependencies
            .iter()
            .map(|d| (d.normalized.as_str(), d.section.role()))
            .collect();
        assert_eq!(
            names,
            [
                ("flask", Role::Production),
                ("werkzeug", Role::Production),
                ("flask-debugtoolbar", Role::Production),
                ("pytest", Role::Development),
                ("psycopg", Role::Other),
                ("ruff", Role::Development),
                ("mypy", Role::Other),
            ]
        );
        let flask = &p.dependencies[0];
        assert!(flask.exact);
        assert_eq!(&text[flask.range.clone()], "\"Flask==2.2.2\"");
        assert_eq!(&text[flask.clauses[0].version_range.clone()], "2.2.2");
        let toolbar = &p.dependencies[2];
        assert_eq!(&text[toolbar.clauses[0].version_range.clone()], "0.13");
        assert_eq!(toolbar.clauses[0].op, Op::Compatible);
    }

    #[test]
    fn reads_poetry_tables() {
        let text = "[tool.poetry.dependencies]\npython = \"^3.11\"\nFlask = \"2.2.2\"\nflask-cors = { version = \"^3.0.10\", optional = true }\ngit-dep = { git = \"https://example.com/x.git\" }\n\n[tool.poetry.group.dev.dependencies]\nflask-debugtoolbar = \"*\"\n\n[tool.poetry.dev-dependencies]\npytest = \">=7,<9\"\n";
        let p = parse(text).unwrap();
        let flask = &p.dependencies[0];
        assert_eq!(flask.section, Section::Poetry);
        assert_eq!(flask.clauses[0].op, Op::Bare);
        assert_eq!(&text[flask.clauses[0].version_range.clone()], "2.2.2");
        assert_eq!(&text[flask.range.clone()], "Flask = \"2.2.2\"");
        let cors = &p.dependencies[1];
        assert_eq!(cors.clauses[0].op, Op::Caret);
        assert_eq!(&text[cors.clauses[0].version_range.clone()], "3.0.10");
        assert!(p.dependencies[2].clauses.is_empty());
        let dev: Vec<_> = p
            .dependencies
            .iter()
            .filter(|d| d.section.role() == Role::Development)
            .map(|d| d.normalized.as_str())
            .collect();
        assert_eq!(dev, ["pytest", "flask-debugtoolbar"]);
        let pytest = p
            .dependencies
            .iter()
            .find(|d| d.normalized == "pytest")
            .unwrap();
        assert_eq!(pytest.section, Section::PoetryDevDependencies);
        assert_eq!(pytest.clauses.len(), 2);
    }

    #[test]
    fn poetry_constraints() {
        let c = parse_poetry_constraint(">= 1.2, <1.5", 10);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].op, Op::GreaterEqual);
        assert_eq!(c[0].version_range, 13..16);
        assert_eq!(c[1].op, Op::Less);
        assert_eq!(c[1].version_range, 19..22);
        assert_eq!(parse_poetry_constraint("~2.2", 0)[0].op, Op::Tilde);
        assert_eq!(parse_poetry_constraint("~=2.2", 0)[0].op, Op::Compatible);
        assert_eq!(parse_poetry_constraint("=2.2", 0)[0].op, Op::Equal);
        assert!(parse_poetry_constraint("*", 0).is_empty());
        assert!(parse_poetry_constraint("^1.0 || ^2.0", 0).is_empty());
        assert!(parse_poetry_constraint(">=1 <2", 0).is_empty());
    }

    #[test]
    fn escaped_literals_are_not_exact() {
        let text = "[project]\ndependencies = [\"fl\\u0061sk==2.2.2\"]\n";
        let p = parse(text).unwrap();
        assert_eq!(p.dependencies[0].normalized, "flask");
        assert!(!p.dependencies[0].exact);
    }

    #[test]
    fn invalid_toml_is_an_error() {
        assert!(matches!(parse("[project\n"), Err(PyprojectError::Toml(_))));
    }

    #[test]
    fn add_to_multi_line_pep621_array_keeps_crlf_and_comments() {
        let text = "[project]\r\nname = \"api\"\r\ndependencies = [\r\n    \"flask>=3.1.3\",  # web\r\n]\r\n\r\n[tool.ruff]\r\nline-length = 100\r\n";
        let out = add_dependency(text, "flask-talisman>=1.1.0")
            .unwrap()
            .unwrap();
        assert_eq!(
            out,
            "[project]\r\nname = \"api\"\r\ndependencies = [\r\n    \"flask>=3.1.3\",  # web\r\n    \"flask-talisman>=1.1.0\",\r\n]\r\n\r\n[tool.ruff]\r\nline-length = 100\r\n"
        );
        assert_eq!(add_dependency(&out, "Flask_Talisman>=1").unwrap(), None);
    }

    #[test]
    fn add_to_inline_single_quoted_array_and_missing_key() {
        let text = "[project]\nname = 'api'\ndependencies = ['flask']\n";
        assert_eq!(
            add_dependency(text, "pydantic>=2.14.4").unwrap().unwrap(),
            "[project]\nname = 'api'\ndependencies = ['flask', 'pydantic>=2.14.4']\n"
        );
        let text = "[project]\nname = \"api\"\nversion = \"1.0\"\n\n[build-system]\nrequires = [\"hatchling\"]\n";
        assert_eq!(
            add_dependency(text, "pydantic>=2.14.4").unwrap().unwrap(),
            "[project]\nname = \"api\"\nversion = \"1.0\"\ndependencies = [\"pydantic>=2.14.4\"]\n\n[build-system]\nrequires = [\"hatchling\"]\n"
        );
    }

    #[test]
    fn add_to_poetry_table() {
        let text = "[tool.poetry]\nname = \"api\"\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\nflask = \"^3.1\"  # web\n\n[build-system]\nrequires = [\"poetry-core\"]\n";
        assert_eq!(
            add_dependency(text, "Flask-Limiter>=4.1.1")
                .unwrap()
                .unwrap(),
            "[tool.poetry]\nname = \"api\"\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\nflask = \"^3.1\"  # web\nFlask-Limiter = \">=4.1.1\"\n\n[build-system]\nrequires = [\"poetry-core\"]\n"
        );
        let dynamic = "[project]\nname = \"api\"\ndynamic = [\"dependencies\"]\n\n[tool.poetry.dependencies]\nflask = \"^3.1\"\n";
        assert_eq!(
            add_dependency(dynamic, "pydantic").unwrap().unwrap(),
            "[project]\nname = \"api\"\ndynamic = [\"dependencies\"]\n\n[tool.poetry.dependencies]\nflask = \"^3.1\"\npydantic = \"*\"\n"
        );
    }

    #[test]
    fn add_without_any_dependency_table_is_an_error() {
        assert!(matches!(
            add_dependency("[tool.ruff]\nline-length = 88\n", "pydantic"),
            Err(PyprojectError::NoDependencyTable)
        ));
    }

    #[test]
    fn move_pep621_toolbar_to_a_new_dependency_group() {
        let text = "[project]\nname = \"api\"\ndependencies = [\n    \"flask>=3.1.3\",\n    \"flask-debugtoolbar==0.16.0\",  # debug\n    \"gunicorn>=23\",\n]\n";
        assert_eq!(
            move_to_development(text, "flask-debugtoolbar")
                .unwrap()
                .unwrap(),
            "[project]\nname = \"api\"\ndependencies = [\n    \"flask>=3.1.3\",\n    \"gunicorn>=23\",\n]\n\n[dependency-groups]\ndev = [\"flask-debugtoolbar==0.16.0\"]\n"
        );
        assert_eq!(move_to_development(text, "requests").unwrap(), None);
    }

    #[test]
    fn move_pep621_toolbar_into_existing_dev_group_and_extra() {
        let text = "[project]\ndependencies = [\"flask\", \"flask-debugtoolbar\"]\n\n[dependency-groups]\ndev = [\n    \"pytest\",\n]\n";
        assert_eq!(
            move_to_development(text, "flask-debugtoolbar")
                .unwrap()
                .unwrap(),
            "[project]\ndependencies = [\"flask\"]\n\n[dependency-groups]\ndev = [\n    \"pytest\",\n    \"flask-debugtoolbar\",\n]\n"
        );
        let text = "[project]\ndependencies = [\"flask\", \"flask-debugtoolbar\"]\n\n[project.optional-dependencies]\ndocs = [\"sphinx\"]\n";
        assert_eq!(
            move_to_development(text, "flask-debugtoolbar")
                .unwrap()
                .unwrap(),
            "[project]\ndependencies = [\"flask\"]\n\n[project.optional-dependencies]\ndocs = [\"sphinx\"]\ndev = [\"flask-debugtoolbar\"]\n"
        );
        // Already in a dev group: only removed from production.
        let text = "[project]\ndependencies = [\"flask\", \"flask-debugtoolbar\"]\n[dependency-groups]\ndev = [\"flask-debugtoolbar\"]\n";
        assert_eq!(
            move_to_development(text, "flask-debugtoolbar")
                .unwrap()
                .unwrap(),
            "[project]\ndependencies = [\"flask\"]\n[dependency-groups]\ndev = [\"flask-debugtoolbar\"]\n"
        );
    }

    #[test]
    fn move_poetry_toolbar_to_the_dev_group() {
        let text = "[tool.poetry.dependencies]\r\npython = \"^3.11\"\r\nflask-debugtoolbar = { version = \"^0.16\" }  # dbg\r\nflask = \"^3.1\"\r\n";
        assert_eq!(
            move_to_development(text, "flask-debugtoolbar")
                .unwrap()
                .unwrap(),
            "[tool.poetry.dependencies]\r\npython = \"^3.11\"\r\nflask = \"^3.1\"\r\n\r\n[tool.poetry.group.dev.dependencies]\r\nflask-debugtoolbar = { version = \"^0.16\" }\r\n"
        );
        let text = "[tool.poetry.dependencies]\nflask-debugtoolbar = \"*\"\n\n[tool.poetry.group.dev.dependencies]\npytest = \"^8\"\n";
        assert_eq!(
            move_to_development(text, "flask-debugtoolbar")
                .unwrap()
                .unwrap(),
            "[tool.poetry.dependencies]\n\n[tool.poetry.group.dev.dependencies]\npytest = \"^8\"\nflask-debugtoolbar = \"*\"\n"
        );
    }

    #[test]
    fn a_bom_keeps_spans_and_edits_exact() {
        let text = "\u{feff}[project]\r\ndependencies = [\"flask==2.2.2\"]\r\n";
        let p = parse(text).unwrap();
        assert_eq!(
            &text[p.dependencies[0].clauses[0].version_range.clone()],
            "2.2.2"
        );
        assert_eq!(
            add_dependency(text, "pydantic").unwrap().unwrap(),
            "\u{feff}[project]\r\ndependencies = [\"flask==2.2.2\", \"pydantic\"]\r\n"
        );
    }
}
