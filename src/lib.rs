//! flask-harden: generate hardened Flask APIs, and check, fix and scan existing ones.
//!
//! The library holds all behaviour; `main.rs` only parses arguments and maps the
//! result of [`run`] to a process exit code.

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod deps;
pub mod edit;
pub mod output;
pub mod remediate;
pub mod scaffold;
pub mod scan;
pub mod server;

/// The process outcome, as RULES.md defines exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: nothing found / nothing to change / command succeeded.
    Success,
    /// 1: findings (check), pending changes (`fix --dry-run`), grade below the bar (scan).
    Failure,
    /// 2: usage or I/O error.
    Error,
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        match status {
            ExitStatus::Success => Self::from(0),
            ExitStatus::Failure => Self::from(1),
            ExitStatus::Error => Self::from(2),
        }
    }
}

/// Runs one command line.
pub fn run(cli: cli::Cli) -> anyhow::Result<ExitStatus> {
    commands::dispatch(cli.command)
}
