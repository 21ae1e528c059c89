//! One module per subcommand; each turns its parsed arguments into work and an
//! [`crate::ExitStatus`]. Commands handle arguments and orchestrate: the work
//! is in the core modules, and everything they print is written by
//! [`crate::output`] (interactive questions excepted: those are asked where
//! the answer is needed, [`crate::remediate::prompt`] and
//! [`crate::scaffold::interactive`]).

pub mod check;
pub mod completions;
pub mod fix;
pub mod new;
pub mod rule;
pub mod scan;

use crate::ExitStatus;
use crate::cli::Command;

/// Runs the chosen subcommand.
pub fn dispatch(command: Command) -> anyhow::Result<ExitStatus> {
    match command {
        Command::Check(args) => check::run(args),
        Command::Fix(args) => fix::run(args),
        Command::Rule(args) => rule::run(args),
        Command::Scan(args) => scan::run(args),
        Command::New(args) => new::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => completions::run_man(args),
        Command::Server(args) => crate::server::run(args),
    }
}
