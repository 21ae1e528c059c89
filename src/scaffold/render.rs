//! Rendering a template in memory: files ending in `.tera` are rendered with
//! tera (the suffix dropped), every other file is copied byte for byte, so the
//! Jinja files of a generated app pass through untouched. Paths may hold tera
//! expressions too (`{{package_name}}/app.py.tera`), and a manifest `[[when]]`
//! condition leaves files out.

use std::path::{Component, Path};

use tera::{Context, Tera};

use super::ScaffoldError;
use super::answers::Answers;
use super::manifest::Answer;
use super::template::Template;

/// The suffix that marks a file to render.
pub const TERA_SUFFIX: &str = ".tera";

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    /// Path relative to the project root, with `/` separators.
    pub path: String,
    pub contents: Vec<u8>,
    /// Written with mode 0600.
    pub private: bool,
}

/// The variables every template can use: each answer by its question name, plus
/// `package_name`, `secret_key` (fresh for each project) and `flask_harden_version`.
pub fn context(answers: &Answers, secret_key: &str) -> Context {
    let mut context = Context::new();
    for (name, answer, _) in &answers.values {
        match answer {
            Answer::Text(text) => context.insert(name.as_str(), text),
            Answer::Bool(flag) => context.insert(name.as_str(), flag),
        }
    }
    context.insert("package_name", &answers.package_name);
    context.insert("secret_key", secret_key);
    context.insert("flask_harden_version", env!("CARGO_PKG_VERSION"));
    context
}

/// Renders every included file of `template` with `context`.
pub fn render(template: &Template, context: &Context) -> Result<Vec<RenderedFile>, ScaffoldError> {
    let mut excluded = Vec::new();
    for condition in &template.manifest.conditions {
        let source = format!("{{% if {} %}}true{{% endif %}}", condition.expression);
        let holds = one_off(&source, context).map_err(|err| {
            ScaffoldError::Manifest(format!(
                "condition `{}`: {}",
                condition.expression,
                error_chain(&err)
            ))
        })?;
        if holds != "true" {
            excluded.push(condition);
        }
    }
    let included: Vec<_> = template
        .files
        .iter()
        .filter(|file| {
            !excluded
                .iter()
                .any(|condition| condition.covers(&file.path))
        })
        .collect();

    let mut tera = engine();
    let sources = included
        .iter()
        .filter(|file| file.path.ends_with(TERA_SUFFIX))
        .map(|file| {
            std::str::from_utf8(&file.contents)
                .map(|text| (file.path.as_str(), text))
                .map_err(|_| render_error(&file.path, "a .tera file must be UTF-8 text".into()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    for (path, text) in &sources {
        check_loop_bounds(text).map_err(|reason| render_error(path, reason))?;
    }
    tera.add_raw_templates(sources)
        .map_err(|err| render_error("(parsing templates)", error_chain(&err)))?;

    included
        .into_iter()
        .map(|file| {
            let (path, contents) = match file.path.strip_suffix(TERA_SUFFIX) {
                Some(stripped) => {
                    let text = tera
                        .render(&file.path, context)
                        .map_err(|err| render_error(&file.path, error_chain(&err)))?;
                    (stripped, text.into_bytes())
                }
                None => (file.path.as_str(), file.contents.to_vec()),
            };
            let path =
                output_path(path, context).map_err(|reason| render_error(&file.path, reason))?;
            let private = template.manifest.private.contains(&path);
            Ok(RenderedFile {
                path,
                contents,
                private,
            })
        })
        .collect()
}

/// The most iterations one `range(...)` of a template may ask for: a template
/// that renders hundreds of millions of items would exhaust memory instead
/// of failing cleanly.
pub const MAX_RANGE: u64 = 100_000;

/// A Tera engine for templates: no autoescaping (the files are code), and
/// tera's `get_env` turned off, so a template cannot copy the environment of
/// whoever runs `new` (tokens, keys) into the generated project.
fn engine() -> Tera {
    let mut tera = Tera::default();
    tera.autoescape_on(Vec::new());
    tera.register_function(
        "get_env",
        |_: &std::collections::HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            Err(tera::Error::msg(
                "get_env is turned off in flask-harden templates: ask a question in template.toml instead",
            ))
        },
    );
    tera
}

/// Renders a one-off template string with [`engine`]'s rules.
fn one_off(source: &str, context: &Context) -> tera::Result<String> {
    let mut tera = engine();
    tera.add_raw_template("__one_off", source)?;
    tera.render("__one_off", context)
}

/// Refuses `range(end=N)` (or `range(start=.., end=N)`) with a literal `N`
/// above [`MAX_RANGE`], before anything is rendered.
fn check_loop_bounds(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(at) = rest.find("range(") {
        rest = &rest[at + "range(".len()..];
        let args = rest.split(')').next().unwrap_or_default();
        for arg in args.split(',') {
            let Some((name, value)) = arg.split_once('=') else {
                continue;
            };
            if name.trim() != "end" {
                continue;
            }
            let digits: String = value.trim().chars().filter(|c| *c != '_').collect();
            if let Ok(end) = digits.parse::<u64>()
                && end > MAX_RANGE
            {
                return Err(format!(
                    "range(end={end}) loops more than {MAX_RANGE} times: templates are refused before rendering rather than exhausting memory"
                ));
            }
        }
    }
    Ok(())
}

/// Renders a template path and checks that it stays inside the project.
fn output_path(path: &str, context: &Context) -> Result<String, String> {
    let rendered = if path.contains("{{") {
        one_off(path, context).map_err(|err| error_chain(&err))?
    } else {
        path.to_string()
    };
    let inside = !rendered.is_empty()
        && !rendered.split('/').any(str::is_empty)
        && Path::new(&rendered)
            .components()
            .all(|component| matches!(component, Component::Normal(_)));
    if inside {
        Ok(rendered)
    } else {
        Err(format!(
            "its output path `{rendered}` is not a relative path inside the project"
        ))
    }
}

fn render_error(path: &str, reason: String) -> ScaffoldError {
    ScaffoldError::Render {
        path: path.to_string(),
        reason,
    }
}

/// Tera's errors keep the useful part in their sources.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;
    use std::collections::BTreeMap;

    use super::*;
    use crate::scaffold::answers::resolve;
    use crate::scaffold::template::TemplateFile;

    const MANIFEST: &str = r#"
[template]
private = ["secret.env"]
[[question]]
name = "project_name"
default = "demo-app"
[[question]]
name = "extra"
default = false
[[question]]
name = "place"
default = "app"
[[when]]
condition = "extra"
paths = ["extra.txt", "more/"]
"#;

    fn template(files: &[(&str, &str)]) -> Template {
        let mut all = vec![TemplateFile {
            path: "template.toml".into(),
            contents: Cow::Owned(MANIFEST.as_bytes().to_vec()),
        }];
        all.extend(files.iter().map(|(path, text)| TemplateFile {
            path: path.to_string(),
            contents: Cow::Owned(text.as_bytes().to_vec()),
        }));
        Template::from_files("test".into(), all).unwrap()
    }

    fn rendered(
        files: &[(&str, &str)],
        given: &[(&str, &str)],
    ) -> Result<Vec<RenderedFile>, ScaffoldError> {
        let template = template(files);
        let given: BTreeMap<String, String> = given
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let answers = resolve(&template.manifest, &given, None)?;
        render(&template, &context(&answers, "s3cr3t"))
    }

    #[test]
    fn renders_tera_files_and_paths_and_copies_the_rest() {
        let files = rendered(
            &[
                (
                    "{{package_name}}/main.py.tera",
                    "NAME = '{{ project_name }}'\n",
                ),
                ("page.html", "{{ jinja }}\n"),
                ("secret.env.tera", "KEY={{ secret_key }}\n"),
            ],
            &[],
        )
        .unwrap();
        let mut view: Vec<_> = files
            .iter()
            .map(|f| {
                (
                    f.path.as_str(),
                    String::from_utf8(f.contents.clone()).unwrap(),
                    f.private,
                )
            })
            .collect();
        view.sort();
        assert_eq!(
            view,
            [
                ("demo_app/main.py", "NAME = 'demo-app'\n".to_string(), false),
                ("page.html", "{{ jinja }}\n".to_string(), false),
                ("secret.env", "KEY=s3cr3t\n".to_string(), true),
            ]
        );
    }

    #[test]
    fn conditions_include_files_and_folders_only_when_they_hold() {
        let files = [("extra.txt", "x"), ("more/a.txt", "a"), ("base.txt", "b")];
        let paths = |given: &[(&str, &str)]| -> Vec<String> {
            rendered(&files, given)
                .unwrap()
                .into_iter()
                .map(|f| f.path)
                .collect()
        };
        assert_eq!(paths(&[]), ["base.txt"]);
        assert_eq!(
            paths(&[("extra", "yes")]),
            ["base.txt", "extra.txt", "more/a.txt"]
        );
    }

    #[test]
    fn output_paths_must_stay_inside_the_project() {
        let err = rendered(&[("{{ place }}/x.txt", "x")], &[("place", "../outside")]).unwrap_err();
        assert!(
            err.to_string()
                .contains("not a relative path inside the project"),
            "{err}"
        );
        let err = rendered(&[("{{ place }}x.txt", "x")], &[("place", "/abs/")]).unwrap_err();
        assert!(err.to_string().contains("not a relative path"), "{err}");
    }

    #[test]
    fn template_errors_name_the_file() {
        let err = rendered(&[("a.txt.tera", "{{ nope }}")], &[]).unwrap_err();
        assert!(
            err.to_string().starts_with("template file a.txt.tera"),
            "{err}"
        );
    }
}
