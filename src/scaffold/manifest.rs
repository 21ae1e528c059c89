//! The template manifest (`template.toml`): the questions a template asks, each
//! with its prompt, default, allowed choices and validation pattern, plus the
//! files that are included only under a condition and the files written private.
//!
//! Every answer, whether typed at a prompt, given as a flag or read from a values
//! file, goes through [`Question::parse`], so all sources are validated alike.

use regex::Regex;
use toml_edit::{DocumentMut, Item, Table};

use super::ScaffoldError;

/// The file name of the manifest at the root of a template folder.
pub const MANIFEST_FILE: &str = "template.toml";

/// The question every template must ask: its answer names the project folder.
pub const PROJECT_NAME: &str = "project_name";

/// A parsed, validated template manifest.
#[derive(Debug)]
pub struct Manifest {
    /// One-line description of the template, shown in the summary.
    pub description: String,
    /// The questions, in the order they are asked.
    pub questions: Vec<Question>,
    /// Template paths (or path prefixes ending in `/`) included only when a
    /// tera condition holds.
    pub conditions: Vec<Condition>,
    /// Output paths written with mode 0600.
    pub private: Vec<String>,
}

/// One question of the manifest.
#[derive(Debug)]
pub struct Question {
    /// The variable name the answer is available under in the templates.
    pub name: String,
    /// The prompt shown to the user.
    pub prompt: String,
    /// What kind of answer it takes.
    pub kind: QuestionKind,
    /// The answer used when none is given.
    pub default: Answer,
}

/// The kinds of answers a question takes.
#[derive(Debug)]
pub enum QuestionKind {
    /// Free text, optionally matched in full by a pattern; `hint` says in
    /// words what the pattern accepts (shown instead of the pattern).
    Text {
        pattern: Option<Regex>,
        hint: Option<String>,
    },
    /// One of a fixed list.
    Choice { choices: Vec<String> },
    /// Yes or no.
    Bool,
}

/// A validated answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Text(String),
    Bool(bool),
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answer::Text(text) => f.write_str(text),
            Answer::Bool(true) => f.write_str("yes"),
            Answer::Bool(false) => f.write_str("no"),
        }
    }
}

/// A group of template paths included only when `expression` (a tera
/// expression over the answers) is true.
#[derive(Debug)]
pub struct Condition {
    pub expression: String,
    pub paths: Vec<String>,
}

impl Condition {
    /// Whether `template_path` is governed by this condition.
    pub fn covers(&self, template_path: &str) -> bool {
        self.paths.iter().any(|path| {
            template_path == path
                || (path.ends_with('/') && template_path.starts_with(path.as_str()))
        })
    }
}

impl Question {
    /// Validates a raw answer (from a prompt, a flag or a values file).
    pub fn parse(&self, raw: &str) -> Result<Answer, ScaffoldError> {
        let invalid = |reason: String| ScaffoldError::InvalidAnswer {
            question: self.name.clone(),
            reason,
        };
        match &self.kind {
            QuestionKind::Text { pattern, hint } => {
                if let Some(pattern) = pattern
                    && !pattern.is_match(raw)
                {
                    return Err(invalid(match hint {
                        Some(hint) => format!("must be {hint}"),
                        None => format!("must match the pattern {}", pattern.as_str()),
                    }));
                }
                Ok(Answer::Text(raw.to_string()))
            }
            QuestionKind::Choice { choices } => {
                if choices.iter().any(|choice| choice == raw) {
                    Ok(Answer::Text(raw.to_string()))
                } else {
                    Err(invalid(format!("must be one of: {}", choices.join(", "))))
                }
            }
            QuestionKind::Bool => match raw.to_ascii_lowercase().as_str() {
                "y" | "yes" | "true" => Ok(Answer::Bool(true)),
                "n" | "no" | "false" => Ok(Answer::Bool(false)),
                _ => Err(invalid("must be yes or no".to_string())),
            },
        }
    }
}

impl Manifest {
    /// Parses and validates a manifest's text.
    pub fn parse(text: &str) -> Result<Manifest, ScaffoldError> {
        let doc: DocumentMut = text.parse().map_err(|err: toml_edit::TomlError| {
            ScaffoldError::Manifest(err.to_string().trim_end().to_string())
        })?;
        let template = doc.get("template").and_then(Item::as_table);
        let description = template
            .and_then(|t| t.get("description"))
            .and_then(Item::as_str)
            .unwrap_or_default()
            .to_string();
        let private = template
            .map(|t| string_list(t, "private", "[template]"))
            .transpose()?
            .unwrap_or_default();

        let questions = tables(&doc, "question")?
            .into_iter()
            .map(parse_question)
            .collect::<Result<Vec<_>, _>>()?;
        if !questions.iter().any(|q| q.name == PROJECT_NAME) {
            return Err(ScaffoldError::Manifest(format!(
                "a template must ask a question named `{PROJECT_NAME}`"
            )));
        }
        for (i, question) in questions.iter().enumerate() {
            if questions[..i].iter().any(|q| q.name == question.name) {
                return Err(ScaffoldError::Manifest(format!(
                    "question `{}` is defined twice",
                    question.name
                )));
            }
        }
        let conditions = tables(&doc, "when")?
            .into_iter()
            .map(|table| {
                let expression = required_str(table, "condition", "[[when]]")?;
                let paths = string_list(table, "paths", "[[when]]")?;
                Ok(Condition { expression, paths })
            })
            .collect::<Result<Vec<_>, ScaffoldError>>()?;
        Ok(Manifest {
            description,
            questions,
            conditions,
            private,
        })
    }

    /// The question called `name`, if the template asks it.
    pub fn question(&self, name: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.name == name)
    }
}

fn tables<'a>(doc: &'a DocumentMut, key: &str) -> Result<Vec<&'a Table>, ScaffoldError> {
    match doc.get(key) {
        None => Ok(Vec::new()),
        Some(item) => item
            .as_array_of_tables()
            .map(|array| array.iter().collect())
            .ok_or_else(|| {
                ScaffoldError::Manifest(format!("`{key}` must be an array of tables ([[{key}]])"))
            }),
    }
}

fn required_str(table: &Table, key: &str, section: &str) -> Result<String, ScaffoldError> {
    table
        .get(key)
        .and_then(Item::as_str)
        .map(str::to_string)
        .ok_or_else(|| ScaffoldError::Manifest(format!("{section} needs a string `{key}`")))
}

fn string_list(table: &Table, key: &str, section: &str) -> Result<Vec<String>, ScaffoldError> {
    let Some(item) = table.get(key) else {
        return Ok(Vec::new());
    };
    let error = || ScaffoldError::Manifest(format!("{section} `{key}` must be a list of strings"));
    let array = item.as_array().ok_or_else(error)?;
    array
        .iter()
        .map(|v| v.as_str().map(str::to_string).ok_or_else(error))
        .collect()
}

fn parse_question(table: &Table) -> Result<Question, ScaffoldError> {
    let name = required_str(table, "name", "[[question]]")?;
    let section = format!("question `{name}`");
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        || name.starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(ScaffoldError::Manifest(format!(
            "{section}: the name must be an identifier (letters, digits, underscores)"
        )));
    }
    let prompt = table
        .get("prompt")
        .and_then(Item::as_str)
        .unwrap_or(&name)
        .to_string();
    let default = table.get("default");
    let choices = table
        .get("choices")
        .map(|_| string_list(table, "choices", &section))
        .transpose()?;
    let pattern = table
        .get("regex")
        .map(|item| {
            let source = item.as_str().ok_or_else(|| {
                ScaffoldError::Manifest(format!("{section}: `regex` must be a string"))
            })?;
            // Anchor the pattern so it must match the whole answer.
            Regex::new(&format!("^(?:{source})$"))
                .map_err(|err| ScaffoldError::Manifest(format!("{section}: bad `regex`: {err}")))
        })
        .transpose()?;

    let (kind, default) = if let Some(choices) = choices {
        if choices.is_empty() {
            return Err(ScaffoldError::Manifest(format!(
                "{section}: `choices` is empty"
            )));
        }
        let default = default
            .and_then(Item::as_str)
            .unwrap_or(&choices[0])
            .to_string();
        (QuestionKind::Choice { choices }, default)
    } else if let Some(flag) = default.and_then(Item::as_bool) {
        (QuestionKind::Bool, flag.to_string())
    } else {
        let default = match default {
            None => String::new(),
            Some(item) => item
                .as_str()
                .ok_or_else(|| {
                    ScaffoldError::Manifest(format!(
                        "{section}: `default` must be a string or a boolean"
                    ))
                })?
                .to_string(),
        };
        let hint = table.get("hint").and_then(Item::as_str).map(str::to_owned);
        (QuestionKind::Text { pattern, hint }, default)
    };
    let mut question = Question {
        name,
        prompt,
        kind,
        default: Answer::Text(String::new()),
    };
    // The default must itself be a valid answer.
    question.default = question.parse(&default).map_err(|err| {
        ScaffoldError::Manifest(format!(
            "{section}: the default is not a valid answer: {err}"
        ))
    })?;
    Ok(question)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"
[template]
description = "demo"
private = [".env"]

[[question]]
name = "project_name"
prompt = "Project name"
default = "demo"
regex = "[a-z]+"

[[question]]
name = "auth"
choices = ["none", "jwt"]

[[question]]
name = "docker"
default = true

[[when]]
condition = 'auth == "jwt"'
paths = ["auth.py", "auth/"]
"#;

    #[test]
    fn parses_questions_kinds_and_defaults() {
        let manifest = Manifest::parse(MANIFEST).unwrap();
        assert_eq!(manifest.private, vec![".env"]);
        let auth = manifest.question("auth").unwrap();
        assert_eq!(auth.default, Answer::Text("none".into()));
        assert_eq!(auth.prompt, "auth");
        assert!(auth.parse("jwt").is_ok());
        assert!(auth.parse("oauth").is_err());
        let docker = manifest.question("docker").unwrap();
        assert_eq!(docker.default, Answer::Bool(true));
        assert_eq!(docker.parse("no").unwrap(), Answer::Bool(false));
        assert!(docker.parse("maybe").is_err());
    }

    #[test]
    fn regex_must_match_the_whole_answer() {
        let manifest = Manifest::parse(MANIFEST).unwrap();
        let name = manifest.question(PROJECT_NAME).unwrap();
        assert!(name.parse("abc").is_ok());
        assert!(name.parse("abc1").is_err());
    }

    #[test]
    fn conditions_cover_files_and_folders() {
        let manifest = Manifest::parse(MANIFEST).unwrap();
        let cond = &manifest.conditions[0];
        assert!(cond.covers("auth.py"));
        assert!(cond.covers("auth/x.py"));
        assert!(!cond.covers("auth.pyc"));
    }

    #[test]
    fn rejects_bad_manifests() {
        let no_name = "[[question]]\nname = \"auth\"\n";
        assert!(
            Manifest::parse(no_name)
                .unwrap_err()
                .to_string()
                .contains("project_name")
        );
        let bad_default =
            "[[question]]\nname = \"project_name\"\nregex = \"[a-z]+\"\ndefault = \"1\"\n";
        assert!(
            Manifest::parse(bad_default)
                .unwrap_err()
                .to_string()
                .contains("default")
        );
        assert!(Manifest::parse("[[question]\n").is_err());
    }
}
