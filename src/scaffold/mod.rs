//! Project generation from a template: the built-in hardened Flask API or a
//! team's own template folder.
//!
//! The steps are separate so the command can drive them: load a [`Template`]
//! (manifest plus files), resolve the answers ([`answers`]), render every file in
//! memory ([`render`]), then check the target folder and write atomically
//! ([`mod@write`]). Nothing is written until everything has rendered.

pub mod answers;
pub mod interactive;
pub mod manifest;
pub mod name;
pub mod render;
pub mod template;
pub mod write;

use std::path::PathBuf;

pub use answers::Answers;
pub use manifest::{Answer, Manifest, Question};
pub use render::RenderedFile;
pub use template::Template;

/// Everything that can go wrong while generating a project.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("template manifest: {0}")]
    Manifest(String),
    #[error("invalid answer for `{question}`: {reason}")]
    InvalidAnswer { question: String, reason: String },
    #[error("the template asks no question named `{0}`")]
    UnknownQuestion(String),
    #[error("invalid project name `{name}`: {reason}")]
    InvalidName { name: String, reason: String },
    #[error("values file {path}: {reason}")]
    ValuesFile { path: PathBuf, reason: String },
    #[error(
        "{} exists and is not empty: nothing was written (choose another name, or pass --force to write the template's files into it)",
        .0.display()
    )]
    TargetNotEmpty(PathBuf),
    #[error(
        "{} exists and is not a folder: nothing was written (choose another name)",
        .0.display()
    )]
    TargetNotAFolder(PathBuf),
    #[error(
        "{} is a symbolic link: nothing was written (--force never writes through links; remove the link or choose another name)",
        .0.display()
    )]
    LinkInTarget(PathBuf),
    #[error("template file {path}: {reason}")]
    Render { path: String, reason: String },
    #[error("{action} {}: {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("prompt: {0}")]
    Prompt(String),
    #[error("reading the operating system's random generator: {0}")]
    Random(String),
}

impl ScaffoldError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| ScaffoldError::Io {
            action,
            path,
            source,
        }
    }
}

/// A fresh secret: 32 bytes from the operating system's random generator, hex encoded.
pub fn fresh_secret() -> Result<String, ScaffoldError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|err| ScaffoldError::Random(err.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
