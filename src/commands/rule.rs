//! `flask-harden rule`: print a rule's documentation, or list every rule.

use std::io::Write;

use anyhow::bail;

use crate::ExitStatus;
use crate::analysis::Rule;
use crate::output::rules::{write_doc, write_table};

/// Arguments of `flask-harden rule`.
#[derive(Debug, clap::Args)]
#[command(arg_required_else_help = true)]
pub struct RuleArgs {
    /// The rule code (e.g. FH101) or name (e.g. debug-mode-enabled).
    #[arg(conflicts_with = "all")]
    pub code: Option<String>,

    /// List every rule: code, name, severity, fix availability.
    #[arg(long)]
    pub all: bool,
}

/// Prints the documentation or the table.
pub fn run(args: RuleArgs) -> anyhow::Result<ExitStatus> {
    let mut out = std::io::stdout().lock();
    if args.all {
        write_table(&mut out)?;
    } else if let Some(code) = args.code {
        let Some(rule) = Rule::from_code(&code) else {
            bail!("unknown rule `{code}` (see `flask-harden rule --all`)");
        };
        write_doc(rule.info(), &mut out)?;
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}
