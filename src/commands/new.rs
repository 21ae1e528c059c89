//! `flask-harden new`: generate a hardened Flask API (or a project from a team's
//! template folder). Answers come from flags, a values file, the terminal, or the
//! template's defaults, in that order of precedence.
//!
//! Argument handling and orchestration only: generation is
//! [`crate::scaffold`] (which also asks the questions), the summary printed
//! by [`crate::output::new`].

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;

use crate::ExitStatus;
use crate::output::new::write_summary;
use crate::scaffold::answers;
use crate::scaffold::manifest::PROJECT_NAME;
use crate::scaffold::{Template, interactive, render, write};

/// Arguments of `flask-harden new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Project name: the folder to create in the current directory and, with `-`
    /// replaced by `_`, the Python package (lowercase letters, digits, `_`, `-`).
    pub name: Option<String>,

    /// Ask nothing: every question that no flag or values file answers takes its default.
    #[arg(short, long)]
    pub yes: bool,

    /// One-line description of the project.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,

    /// Authentication: `none`, or `jwt` (RS256 access tokens, single-use refresh
    /// tokens with rotation, role checks).
    #[arg(long, value_name = "KIND", value_parser = ["none", "jwt"])]
    pub auth: Option<String>,

    /// Data layer: `none`, or `sqlalchemy` (Flask-SQLAlchemy, database URL from the environment).
    #[arg(long, value_name = "KIND", value_parser = ["none", "sqlalchemy"])]
    pub db: Option<String>,

    /// Where rate-limit counters live: `memory` (one process) or `redis` (shared by workers).
    #[arg(long, value_name = "KIND", value_parser = ["memory", "redis"])]
    pub rate_limit_storage: Option<String>,

    /// Allowed CORS origins, comma-separated exact origins (`scheme://host[:port]`);
    /// an empty value allows none.
    #[arg(long, value_name = "ORIGINS")]
    pub cors_origins: Option<String>,

    /// Add a Dockerfile (non-root user, gunicorn): yes or no.
    #[arg(long, value_name = "YES|NO")]
    pub docker: Option<String>,

    /// Add a CI workflow running the tests, bandit and ruff's S rules: yes or no.
    #[arg(long, value_name = "YES|NO")]
    pub ci: Option<String>,

    /// Answer any template question by name (repeatable), e.g. `--set auth=jwt`.
    #[arg(long = "set", value_name = "QUESTION=VALUE")]
    pub set: Vec<String>,

    /// Read answers from a TOML file of `question = value` lines.
    #[arg(long, value_name = "FILE")]
    pub values_file: Option<PathBuf>,

    /// Render this template folder (a `template.toml` manifest plus files) instead
    /// of the built-in hardened Flask API.
    #[arg(long, value_name = "DIR")]
    pub template: Option<PathBuf>,

    /// Write into an existing, non-empty folder: the template's files are
    /// overwritten, nothing else is touched or deleted.
    #[arg(long)]
    pub force: bool,
}

impl NewArgs {
    /// Collects the answers given up front: values file, then `--set`, then the
    /// named flags and the positional name (later sources win).
    fn given(&self) -> anyhow::Result<BTreeMap<String, String>> {
        let mut given = match &self.values_file {
            Some(path) => answers::read_values_file(path)?,
            None => BTreeMap::new(),
        };
        for pair in &self.set {
            let (key, value) = pair
                .split_once('=')
                .with_context(|| format!("--set {pair}: expected QUESTION=VALUE"))?;
            given.insert(key.trim().to_string(), value.to_string());
        }
        let named = [
            ("description", &self.description),
            ("auth", &self.auth),
            ("db", &self.db),
            ("rate_limit_storage", &self.rate_limit_storage),
            ("cors_origins", &self.cors_origins),
            ("docker", &self.docker),
            ("ci", &self.ci),
            (PROJECT_NAME, &self.name),
        ];
        for (key, value) in named {
            if let Some(value) = value {
                given.insert(key.to_string(), value.clone());
            }
        }
        Ok(given)
    }
}

/// Runs `flask-harden new`.
pub fn run(args: NewArgs) -> anyhow::Result<ExitStatus> {
    let template = match &args.template {
        Some(dir) => Template::from_dir(dir)?,
        None => Template::builtin()?,
    };
    let given = args.given()?;
    let interactive =
        !args.yes && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let mut ask = interactive::ask;
    let answers = answers::resolve(
        &template.manifest,
        &given,
        if interactive { Some(&mut ask) } else { None },
    )?;

    let root = std::env::current_dir()
        .context("reading the current directory")?
        .join(answers.project_name());
    write::check_target(&root, args.force)?;
    let secret_key = crate::scaffold::fresh_secret()?;
    let mut files = render::render(&template, &render::context(&answers, &secret_key))?;
    // `--force` into an existing project keeps its private files (`.env`):
    // replacing them would change its SECRET_KEY and drop its settings.
    let mut kept = Vec::new();
    files.retain(|file| {
        let keep_existing = file.private && root.join(&file.path).exists();
        if keep_existing {
            kept.push(file.path.clone());
        }
        !keep_existing
    });
    write::write_files(&root, &files)?;

    let mut out = std::io::stdout().lock();
    write_summary(&mut out, &template, &answers, files.len(), &kept)?;
    Ok(ExitStatus::Success)
}
