//! Resolving the answers to a template's questions: values given up front (flags
//! and a values file) are validated like typed ones; the rest are asked, or take
//! their defaults when nobody can be asked.

use std::collections::BTreeMap;
use std::path::Path;

use toml_edit::{DocumentMut, Value};

use super::manifest::{Answer, Manifest, PROJECT_NAME, Question};
use super::{ScaffoldError, name};

/// How an answer was obtained, for the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Given,
    Asked,
    Default,
}

/// The resolved answers, in the manifest's question order.
#[derive(Debug)]
pub struct Answers {
    pub values: Vec<(String, Answer, Source)>,
    /// The Python package name derived from the project name.
    pub package_name: String,
}

impl Answers {
    /// The project name (the folder to create).
    pub fn project_name(&self) -> &str {
        self.values
            .iter()
            .find_map(|(name, answer, _)| match answer {
                Answer::Text(text) if name == PROJECT_NAME => Some(text.as_str()),
                _ => None,
            })
            .unwrap_or_default()
    }
}

/// Asks one question interactively (see [`super::interactive::ask`]).
pub type Asker<'a> = dyn FnMut(&Question) -> Result<Answer, ScaffoldError> + 'a;

/// Resolves every question: a given raw value is validated; otherwise `ask`
/// (when present) asks the user; otherwise the default is taken. Given values
/// for questions the template does not ask are an error.
pub fn resolve(
    manifest: &Manifest,
    given: &BTreeMap<String, String>,
    mut ask: Option<&mut Asker<'_>>,
) -> Result<Answers, ScaffoldError> {
    if let Some(unknown) = given.keys().find(|key| manifest.question(key).is_none()) {
        return Err(ScaffoldError::UnknownQuestion(unknown.clone()));
    }
    let mut values = Vec::with_capacity(manifest.questions.len());
    let mut package_name = String::new();
    for question in &manifest.questions {
        let (answer, source) = match (given.get(&question.name), ask.as_mut()) {
            (Some(raw), _) => (validate(question, raw)?, Source::Given),
            (None, Some(ask)) => (ask(question)?, Source::Asked),
            (None, None) => (question.default.clone(), Source::Default),
        };
        if question.name == PROJECT_NAME {
            package_name = name::package_name(&answer.to_string())?;
        }
        values.push((question.name.clone(), answer, source));
    }
    Ok(Answers {
        values,
        package_name,
    })
}

/// Validates one raw answer: for the project name first the package-name rules
/// (they give the clearest reasons), then the question's own rules.
pub fn validate(question: &Question, raw: &str) -> Result<Answer, ScaffoldError> {
    if question.name == PROJECT_NAME {
        name::package_name(raw)?;
    }
    question.parse(raw)
}

/// Reads a values file: a TOML table of `question = value`, where a value is a
/// string, a boolean, a number, or a list of strings (joined with commas).
pub fn read_values_file(path: &Path) -> Result<BTreeMap<String, String>, ScaffoldError> {
    let text = std::fs::read_to_string(path).map_err(ScaffoldError::io("reading", path))?;
    let error = |reason: String| ScaffoldError::ValuesFile {
        path: path.to_path_buf(),
        reason,
    };
    let doc: DocumentMut = text
        .parse()
        .map_err(|err: toml_edit::TomlError| error(err.to_string().trim_end().to_string()))?;
    let mut values = BTreeMap::new();
    for (key, item) in doc.iter() {
        let value = item.as_value().and_then(scalar_text).ok_or_else(|| {
            error(format!(
                "`{key}` must be a string, boolean, number or list of strings"
            ))
        })?;
        values.insert(key.to_string(), value);
    }
    Ok(values)
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.value().clone()),
        Value::Boolean(b) => Some(b.value().to_string()),
        Value::Integer(i) => Some(i.value().to_string()),
        Value::Array(items) => items
            .iter()
            .map(|item| item.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .map(|parts| parts.join(",")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest::parse(
            r#"
[[question]]
name = "project_name"
default = "demo"
[[question]]
name = "auth"
choices = ["none", "jwt"]
[[question]]
name = "docker"
default = false
"#,
        )
        .unwrap()
    }

    #[test]
    fn given_values_win_then_asked_then_defaults() {
        let given = BTreeMap::from([("auth".to_string(), "jwt".to_string())]);
        let answers = resolve(&manifest(), &given, None).unwrap();
        assert_eq!(answers.project_name(), "demo");
        assert_eq!(
            answers.values[1],
            ("auth".into(), Answer::Text("jwt".into()), Source::Given)
        );
        assert_eq!(answers.values[2].2, Source::Default);

        let mut asked = Vec::new();
        let mut ask = |q: &Question| {
            asked.push(q.name.clone());
            Ok(q.default.clone())
        };
        resolve(&manifest(), &given, Some(&mut ask)).unwrap();
        assert_eq!(asked, ["project_name", "docker"]);
    }

    #[test]
    fn rejects_unknown_and_invalid_values() {
        let unknown = BTreeMap::from([("colour".to_string(), "red".to_string())]);
        assert!(matches!(
            resolve(&manifest(), &unknown, None),
            Err(ScaffoldError::UnknownQuestion(name)) if name == "colour"
        ));
        let bad_name = BTreeMap::from([("project_name".to_string(), "Bad Name".to_string())]);
        assert!(matches!(
            resolve(&manifest(), &bad_name, None),
            Err(ScaffoldError::InvalidName { .. })
        ));
    }

    #[test]
    fn values_file_accepts_scalars_and_lists() {
        let dir = std::env::temp_dir().join(format!("fh-values-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("answers.toml");
        std::fs::write(&path, "auth = \"jwt\"\ndocker = false\norigins = [\"https://a.example\", \"https://b.example\"]\n").unwrap();
        let values = read_values_file(&path).unwrap();
        assert_eq!(values["auth"], "jwt");
        assert_eq!(values["docker"], "false");
        assert_eq!(values["origins"], "https://a.example,https://b.example");
        std::fs::write(&path, "[section]\nx = 1\n").unwrap();
        assert!(
            read_values_file(&path)
                .unwrap_err()
                .to_string()
                .contains("section")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
