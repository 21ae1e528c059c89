//! Remediation, what `flask-harden fix` (and the language server's code
//! actions) do: turning the [`Fix`](crate::edit::Fix) values that rules attach
//! to findings into changed files, safely.
//!
//! [`mod@plan`] runs the analysis in passes over an in-memory overlay of pending
//! changes ([`apply`] splices one pass's non-overlapping fixes, Python files
//! must parse again, [`encode`] writes them back in the file's own encoding),
//! records the unified [`diff`] of every remediation alone (secrets masked),
//! and adds the follow-up changes in other files ([`project`]). [`mod@write`]
//! then writes the planned files atomically, refusing stale, read-only and
//! out-of-tree ones. Nothing in this module prints; [`prompt`] asks, the
//! `output::fix` printer shows.

pub mod apply;
pub mod diff;
pub mod encode;
pub mod plan;
pub mod project;
pub mod prompt;
pub mod write;

use std::path::PathBuf;

pub use plan::{
    Decision, FileChange, FixOptions, FixPlan, Leftover, LeftoverReason, Remediation, plan,
};
pub use write::{Roots, WriteError, write_checked};

/// What happened when a plan was written.
#[derive(Debug, Default)]
pub struct WriteOutcome {
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Files left alone, with the reason.
    pub failed: Vec<WriteError>,
}

/// Writes every changed file of `plan` below `roots`; a file that cannot be
/// written is reported and the others are still written.
pub fn write_plan(plan: &FixPlan, roots: &Roots) -> WriteOutcome {
    let mut outcome = WriteOutcome::default();
    for (path, change) in &plan.changes {
        if change.original.as_deref() == Some(change.new.as_slice()) {
            continue;
        }
        match write_checked(roots, path, change.original.as_deref(), &change.new) {
            Ok(()) => outcome.written.push(path.clone()),
            Err(err) => outcome.failed.push(err),
        }
    }
    outcome
}
