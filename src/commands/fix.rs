//! `flask-harden fix`: show every remediation as a unified diff and apply the
//! accepted ones (all safe ones with `--yes`, one by one on a terminal).
//!
//! Argument handling and orchestration only: planning and writing are in
//! [`crate::remediate`], everything printed in [`crate::output::fix`].

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;

use crate::ExitStatus;
use crate::output::fix::{
    Refusal, write_error_lines, write_explanation, write_fixed, write_json, write_nothing_written,
    write_refusal, write_remediation, write_summary,
};
use crate::output::{write_errors, write_notes, write_problems};
use crate::remediate::prompt::{self, Answer};
use crate::remediate::{Decision, FixOptions, Remediation, Roots, plan, write_plan};

/// `fix --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FixFormat {
    /// A header and a unified diff per remediation, then a summary.
    Text,
    /// One JSON array of remediations (code, path, applicability, diff, ...).
    Json,
}

/// Arguments of `flask-harden fix`.
#[derive(Debug, clap::Args)]
pub struct FixArgs {
    /// Files or folders to fix (walked as `check` does). Nothing outside them is
    /// written; follow-up files (.env.example, .gitignore, requirements.txt)
    /// are written only in a folder given here. A file named here that cannot
    /// be analysed (syntax error, undecodable) is an error: nothing is written.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Show every remediation with its diff and write nothing (exit 1 when
    /// anything is pending, 0 when nothing is).
    #[arg(long)]
    pub dry_run: bool,

    /// Apply every safe remediation without asking (needed without a terminal);
    /// exit 1 when findings remain afterwards, 0 when none do.
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Also propose the unsafe fixes (they may change behaviour someone relies on).
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FixFormat::Text)]
    pub format: FixFormat,

    /// Rule selection and path exclusion, as for `check`.
    #[command(flatten)]
    pub selection: super::check::SelectionArgs,

    /// Never colour the output (also when NO_COLOR is set).
    #[arg(long)]
    pub no_color: bool,
}

/// Analyses the files named on the command line (not the folders) before
/// anything is planned, and prints an error for each that cannot be analysed
/// (syntax error, undecodable); whether there was any. Nothing is written then.
fn named_files_unanalysable(
    paths: &[PathBuf],
    settings: &crate::analysis::settings::CheckSettings,
    options: &crate::output::OutputOptions,
) -> anyhow::Result<bool> {
    let named: Vec<PathBuf> = paths.iter().filter(|p| p.is_file()).cloned().collect();
    if named.is_empty() {
        return Ok(false);
    }
    let report = crate::analysis::engine::check_paths(&named, settings)?;
    let mut err = std::io::stderr().lock();
    let any = write_errors(&report, options, &mut err)?;
    if any {
        write_nothing_written(&mut err)?;
    }
    Ok(any)
}

/// Runs `fix`.
pub fn run(args: FixArgs) -> anyhow::Result<ExitStatus> {
    let interactive = !args.dry_run && !args.yes;
    let refusal =
        if interactive && !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
            Some(Refusal::NoTerminal)
        } else if interactive && args.format == FixFormat::Json {
            Some(Refusal::JsonNeedsDecision)
        } else {
            None
        };
    if let Some(refusal) = refusal {
        write_refusal(refusal, &mut std::io::stderr().lock())?;
        return Ok(ExitStatus::Error);
    }
    let settings = super::check::settings(&args.paths, &args.selection.overrides())?;
    let roots = Roots::new(&args.paths).with_context(|| {
        format!(
            "reading the paths to fix ({})",
            args.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    let color = crate::output::color::enabled(args.no_color, args.format == FixFormat::Text);
    let cwd = std::env::current_dir().context("reading the current directory")?;
    let output_options = crate::output::OutputOptions {
        color,
        cwd: cwd.clone(),
    };
    if named_files_unanalysable(&args.paths, &settings, &output_options)? {
        return Ok(ExitStatus::Error);
    }
    let options = FixOptions {
        unsafe_fixes: args.unsafe_fixes,
    };
    let mut out = crate::output::color::stdout(color);
    let mut ask_error = None;
    let mut all = false;
    let planned = {
        let mut decide = |r: &Remediation| -> Decision {
            if !interactive || all {
                return Decision::Apply;
            }
            if let Err(err) = write_remediation(r, color, &cwd, &mut out).and_then(|()| out.flush())
            {
                ask_error = Some(err);
                return Decision::Quit;
            }
            loop {
                match prompt::ask() {
                    Ok(Answer::Yes) => return Decision::Apply,
                    Ok(Answer::No) => return Decision::Skip,
                    Ok(Answer::All) => {
                        all = true;
                        return Decision::Apply;
                    }
                    Ok(Answer::Quit) => return Decision::Quit,
                    Ok(Answer::Explain) => {
                        let _ = write_explanation(r, &mut out);
                    }
                    Err(err) => {
                        ask_error = Some(err);
                        return Decision::Quit;
                    }
                }
            }
        };
        plan(&args.paths, &settings, options, &mut decide)?
    };
    if let Some(err) = ask_error {
        return Err(err).context("reading the answer from the terminal; nothing was written");
    }
    let mut err = std::io::stderr().lock();
    write_notes(&planned.last_report, &output_options, &mut err)?;
    write_problems(&planned.last_report, &output_options, &mut err)?;
    write_error_lines(&planned.problems, &mut err)?;
    let had_problems = !planned.problems.is_empty();

    if args.dry_run {
        match args.format {
            FixFormat::Json => write_json(&planned.remediations, &cwd, &mut out)?,
            FixFormat::Text => {
                for r in &planned.remediations {
                    write_remediation(r, color, &cwd, &mut out)?;
                }
                let pending: Vec<&Remediation> = planned.remediations.iter().collect();
                write_summary(&planned, &pending, true, &cwd, &mut out)?;
            }
        }
        out.flush()?;
        return Ok(if had_problems {
            ExitStatus::Error
        } else if planned.remediations.is_empty() {
            ExitStatus::Success
        } else {
            ExitStatus::Failure
        });
    }

    let outcome = write_plan(&planned, &roots);
    let failed: Vec<&std::path::Path> = outcome
        .failed
        .iter()
        .map(|e| match e {
            crate::remediate::WriteError::Changed(p)
            | crate::remediate::WriteError::ReadOnly(p)
            | crate::remediate::WriteError::Outside(p)
            | crate::remediate::WriteError::Exists(p)
            | crate::remediate::WriteError::Io { path: p, .. } => p.as_path(),
        })
        .collect();
    write_error_lines(&outcome.failed, &mut err)?;
    let fixed: Vec<&Remediation> = planned
        .remediations
        .iter()
        .filter(|r| !failed.contains(&r.path.as_path()))
        .collect();
    match args.format {
        FixFormat::Json => {
            let owned: Vec<Remediation> = fixed.iter().map(|r| (*r).clone()).collect();
            write_json(&owned, &cwd, &mut out)?;
        }
        FixFormat::Text => {
            if !interactive {
                write_fixed(&fixed, &cwd, &mut out)?;
            }
            write_summary(&planned, &fixed, false, &cwd, &mut out)?;
        }
    }
    out.flush()?;
    // As `ruff check --fix`: findings that remain after fixing (report-only,
    // unsafe fixes not taken, declined) make the run fail.
    Ok(if had_problems || !outcome.failed.is_empty() {
        ExitStatus::Error
    } else if planned.leftovers.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}
