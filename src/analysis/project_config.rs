//! `[tool.flask-harden]` in the nearest `pyproject.toml` (searched from the
//! checked path upwards), with ruff-style kebab-case keys: `select`, `ignore`,
//! `exclude`, `extend-exclude`, `per-file-ignores`, `test-paths`. Unknown keys,
//! wrong types and unknown codes are errors; the values are validated again when
//! [`CheckSettings`](super::settings::CheckSettings) are built.

use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item};

use super::codes;

/// The keys `[tool.flask-harden]` accepts.
pub const KNOWN_KEYS: &[&str] = &[
    "select",
    "ignore",
    "exclude",
    "extend-exclude",
    "per-file-ignores",
    "test-paths",
];

/// A configuration problem (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML.
    #[error("{path} is not valid TOML: {message}")]
    Toml {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// A key we do not know.
    #[error("unknown key `{key}` in [tool.flask-harden] of {path} (known keys: {known})", known = KNOWN_KEYS.join(", "))]
    UnknownKey {
        /// The file.
        path: PathBuf,
        /// The key.
        key: String,
    },
    /// A value of the wrong type.
    #[error("`{key}` in [tool.flask-harden] of {path} must be {expected}")]
    Type {
        /// The file.
        path: PathBuf,
        /// The key.
        key: String,
        /// What it must be.
        expected: &'static str,
    },
    /// A rule code that names no rule.
    #[error(
        "unknown rule code `{code}` in `{key}` of [tool.flask-harden] in {path} (see `flask-harden rule --all`)"
    )]
    UnknownCode {
        /// The file.
        path: PathBuf,
        /// The key.
        key: String,
        /// The code.
        code: String,
    },
}

/// The `[tool.flask-harden]` table, unvalidated globs, validated codes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectConfig {
    /// The pyproject.toml it came from.
    pub path: PathBuf,
    /// `select`.
    pub select: Option<Vec<String>>,
    /// `ignore`.
    pub ignore: Vec<String>,
    /// `exclude` (replaces nothing: there is no default list beyond the built-in skips).
    pub exclude: Vec<String>,
    /// `extend-exclude`.
    pub extend_exclude: Vec<String>,
    /// `per-file-ignores`: glob -> codes.
    pub per_file_ignores: Vec<(String, Vec<String>)>,
    /// `test-paths`.
    pub test_paths: Vec<String>,
}

impl ProjectConfig {
    /// The folder of the pyproject.toml: globs are relative to it.
    pub fn root(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }
}

/// The nearest `pyproject.toml` at or above `start` that has a
/// `[tool.flask-harden]` table, parsed; `None` when there is none.
pub fn find_config(start: &Path) -> Result<Option<ProjectConfig>, ConfigError> {
    let absolute = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
    let mut dir = if absolute.is_file() {
        absolute.parent().map(Path::to_path_buf)
    } else {
        Some(absolute)
    };
    while let Some(current) = dir {
        let candidate = current.join("pyproject.toml");
        if candidate.is_file() {
            let text = std::fs::read_to_string(&candidate).map_err(|source| ConfigError::Io {
                path: candidate.clone(),
                source,
            })?;
            if let Some(config) = parse_config(&candidate, &text)? {
                return Ok(Some(config));
            }
        }
        dir = current.parent().map(Path::to_path_buf);
    }
    Ok(None)
}

/// Parses the `[tool.flask-harden]` table of a pyproject.toml text.
pub fn parse_config(path: &Path, text: &str) -> Result<Option<ProjectConfig>, ConfigError> {
    let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        // `line:column: message`, 1-based, as compilers print it.
        let position = e.span().map(|span| {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: ")
        });
        ConfigError::Toml {
            path: path.to_path_buf(),
            message: format!("{}{}", position.unwrap_or_default(), e.message()),
        }
    })?;
    let Some(table) = doc.get("tool").and_then(|t| t.get("flask-harden")) else {
        return Ok(None);
    };
    let Some(table) = table.as_table_like() else {
        return Err(type_error(path, "tool.flask-harden", "a table"));
    };
    let mut config = ProjectConfig {
        path: path.to_path_buf(),
        ..ProjectConfig::default()
    };
    for (key, item) in table.iter() {
        match key {
            "select" => config.select = Some(codes(path, key, item)?),
            "ignore" => config.ignore = codes(path, key, item)?,
            "exclude" => config.exclude = strings(path, key, item)?,
            "extend-exclude" => config.extend_exclude = strings(path, key, item)?,
            "test-paths" => config.test_paths = strings(path, key, item)?,
            "per-file-ignores" => {
                let Some(map) = item.as_table_like() else {
                    return Err(type_error(path, key, "a table of glob = [codes]"));
                };
                for (glob, codes_item) in map.iter() {
                    let codes = codes(path, &format!("per-file-ignores.\"{glob}\""), codes_item)?;
                    config.per_file_ignores.push((glob.to_owned(), codes));
                }
            }
            other => {
                return Err(ConfigError::UnknownKey {
                    path: path.to_path_buf(),
                    key: other.to_owned(),
                });
            }
        }
    }
    Ok(Some(config))
}

fn type_error(path: &Path, key: &str, expected: &'static str) -> ConfigError {
    ConfigError::Type {
        path: path.to_path_buf(),
        key: key.to_owned(),
        expected,
    }
}

fn strings(path: &Path, key: &str, item: &Item) -> Result<Vec<String>, ConfigError> {
    let array = item
        .as_array()
        .ok_or_else(|| type_error(path, key, "a list of strings"))?;
    array
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| type_error(path, key, "a list of strings"))
        })
        .collect()
}

fn codes(path: &Path, key: &str, item: &Item) -> Result<Vec<String>, ConfigError> {
    let codes = strings(path, key, item)?;
    if let Some(bad) = codes.iter().find(|c| codes::select(c).is_empty()) {
        return Err(ConfigError::UnknownCode {
            path: path.to_path_buf(),
            key: key.to_owned(),
            code: bad.clone(),
        });
    }
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Option<ProjectConfig>, ConfigError> {
        parse_config(Path::new("pyproject.toml"), text)
    }

    #[test]
    fn reads_every_key() {
        let config = parse(
            r#"
[project]
name = "x"

[tool.flask-harden]
select = ["FH1", "FH201"]
ignore = ["FH108"]
exclude = ["migrations"]
extend-exclude = ["legacy/*"]
test-paths = ["qa/*"]

[tool.flask-harden.per-file-ignores]
"scripts/*" = ["FH104"]
"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            config.select.as_deref(),
            Some(&["FH1".to_owned(), "FH201".to_owned()][..])
        );
        assert_eq!(config.ignore, ["FH108"]);
        assert_eq!(config.exclude, ["migrations"]);
        assert_eq!(config.extend_exclude, ["legacy/*"]);
        assert_eq!(config.test_paths, ["qa/*"]);
        assert_eq!(
            config.per_file_ignores,
            vec![("scripts/*".to_owned(), vec!["FH104".to_owned()])]
        );
    }

    #[test]
    fn no_table_is_no_config() {
        assert_eq!(parse("[tool.ruff]\nline-length = 100\n").unwrap(), None);
    }

    #[test]
    fn errors_are_clear() {
        let unknown = parse("[tool.flask-harden]\nselct = [\"FH1\"]\n")
            .unwrap_err()
            .to_string();
        assert!(unknown.contains("unknown key `selct`"), "{unknown}");
        let snake = parse("[tool.flask-harden]\nper_file_ignores = {}\n")
            .unwrap_err()
            .to_string();
        assert!(snake.contains("per_file_ignores"), "{snake}");
        let code = parse("[tool.flask-harden]\nignore = [\"FH999\"]\n")
            .unwrap_err()
            .to_string();
        assert!(code.contains("FH999"), "{code}");
        let kind = parse("[tool.flask-harden]\nselect = \"FH1\"\n")
            .unwrap_err()
            .to_string();
        assert!(kind.contains("a list of strings"), "{kind}");
        assert!(parse("[tool.flask-harden\n").is_err());
    }
}
