//! `flask-harden check`: analyse Python files and project inputs for Flask
//! security problems and print the findings.
//!
//! Argument handling and orchestration only: the analysis is
//! [`crate::analysis`], the printing [`crate::output`].

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use crate::ExitStatus;
use crate::analysis::engine::check_paths;
use crate::analysis::project_config::find_config;
use crate::analysis::settings::{CheckSettings, SettingsOverrides};
use crate::output::{
    OutputFormat, OutputOptions, write_errors, write_notes, write_report, write_statistics,
};

/// Arguments of `flask-harden check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check. Folders are walked honouring .gitignore and
    /// skipping virtualenvs, site-packages, node_modules, __pycache__ and build
    /// folders (a file that cannot be analysed there is a warning); files named
    /// explicitly are always checked, and one that cannot be analysed (syntax
    /// error, undecodable) is an error (exit 2).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,

    /// Rule selection and path exclusion.
    #[command(flatten)]
    pub selection: SelectionArgs,

    /// Exit with 0 even when there are findings.
    #[arg(long)]
    pub exit_zero: bool,

    /// Never colour the output (also when NO_COLOR is set).
    #[arg(long)]
    pub no_color: bool,

    /// After the report, print on standard error how many files were analysed
    /// (Python and other inputs) and skipped, and how many warnings there were.
    #[arg(long)]
    pub statistics: bool,
}

/// The rule-selection and exclusion flags shared by `check` and `fix`; they
/// override `[tool.flask-harden]`.
#[derive(Debug, Clone, clap::Args)]
pub struct SelectionArgs {
    /// Only these rule codes or prefixes (comma-separated, e.g. `FH1,FH201`).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Option<Vec<String>>,

    /// Skip these rule codes or prefixes (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,

    /// Glob patterns of paths not to walk (comma-separated; matched against the
    /// path relative to the project root and against each path component).
    /// Replaces `exclude` from the configuration.
    #[arg(long, value_delimiter = ',', value_name = "GLOBS")]
    pub exclude: Option<Vec<String>>,

    /// More glob patterns of paths not to walk, added to the configured ones.
    #[arg(long, value_delimiter = ',', value_name = "GLOBS")]
    pub extend_exclude: Vec<String>,
}

impl SelectionArgs {
    /// The flags as settings overrides.
    pub fn overrides(&self) -> SettingsOverrides {
        SettingsOverrides {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            exclude: self.exclude.clone(),
            extend_exclude: self.extend_exclude.clone(),
        }
    }
}

/// Runs the check and prints the report.
pub fn run(args: CheckArgs) -> anyhow::Result<ExitStatus> {
    let settings = settings(&args.paths, &args.selection.overrides())?;
    let report = check_paths(&args.paths, &settings)?;
    let color = crate::output::color::enabled(args.no_color, args.format == OutputFormat::Text);
    let options = OutputOptions {
        color,
        cwd: std::env::current_dir().context("reading the current directory")?,
    };
    write_notes(&report, &options, &mut std::io::stderr().lock())?;
    let mut out = crate::output::color::stdout(color);
    write_report(
        args.format,
        &report,
        &options,
        &mut out,
        &mut std::io::stderr().lock(),
    )?;
    out.flush()?;
    let mut err = std::io::stderr().lock();
    if args.statistics {
        write_statistics(&report, &mut err)?;
    }
    if write_errors(&report, &options, &mut err)? {
        // A file the user named could not be analysed: never a silent pass.
        return Ok(ExitStatus::Error);
    }
    if report.is_empty() || args.exit_zero {
        Ok(ExitStatus::Success)
    } else {
        Ok(ExitStatus::Failure)
    }
}

/// Reads `[tool.flask-harden]` from the nearest pyproject.toml above the first
/// path and layers the command line over it (shared with `fix`).
pub(crate) fn settings(
    paths: &[PathBuf],
    overrides: &SettingsOverrides,
) -> anyhow::Result<CheckSettings> {
    let start = paths
        .first()
        .map_or_else(|| PathBuf::from("."), Clone::clone);
    let config = find_config(&start)?;
    Ok(CheckSettings::resolve(config.as_ref(), overrides)?)
}
