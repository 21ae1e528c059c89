//! One module per subcommand; each turns its parsed arguments into work and an
//! [`ExitStatus`](crate::ExitStatus).

use crate::ExitStatus;
use crate::cli::Command;

/// Runs the chosen subcommand.
pub fn dispatch(command: Command) -> anyhow::Result<ExitStatus> {
    match command {}
}
