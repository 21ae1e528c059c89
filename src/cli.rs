//! The command line, as clap derive types. Each subcommand's arguments live
//! beside its implementation in `commands/`; doc comments here are the help text.

use clap::{Parser, Subcommand};

/// Generate hardened Flask APIs, and check, fix and scan existing ones.
#[derive(Debug, Parser)]
#[command(name = "flask-harden", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands. Each variant's arguments are defined in `commands/<name>.rs`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse a Flask project for security problems (exit 1 when there are findings).
    ///
    /// Exit codes: 0 no findings, 1 findings, 2 usage or I/O error, or a file
    /// named on the command line that cannot be analysed (syntax error,
    /// undecodable; found by walking a folder, such a file is only a warning).
    Check(crate::commands::check::CheckArgs),
    /// Fix what `check` finds: a unified diff per remediation, applied safely.
    ///
    /// `--dry-run` shows every remediation and writes nothing (exit 1 when
    /// anything is pending); `--yes` applies every safe one; on a terminal each
    /// is shown and asked about. Exit codes: 0 nothing remains (everything
    /// fixed, or nothing to fix), 1 findings remain after fixing (report-only,
    /// unsafe fixes not taken, declined) or changes pending (--dry-run),
    /// 2 usage, I/O or internal error.
    Fix(crate::commands::fix::FixArgs),
    /// Show a rule's documentation, or list every rule with --all.
    Rule(crate::commands::rule::RuleArgs),
    /// Grade a running app over HTTP(S) and name the fix for each problem.
    ///
    /// Runs the HTTP Observatory's twelve tests (algorithm version 6) and looks
    /// for Flask-specific exposures (Werkzeug debugger, development server, stack
    /// traces, CORS reflection, missing rate limits, TRACE); each problem names
    /// the `flask-harden fix --select FHxxx` rule that remediates it. Sends only
    /// GET and OPTIONS (about a dozen requests plus --probe-rate-limit), reads at
    /// most 1 MB of any body and follows redirects on the same host only.
    /// Exit codes: 0 scanned, 1 grade below --fail-under, 2 usage error or
    /// target unreachable.
    Scan(crate::commands::scan::ScanArgs),
    /// Generate a hardened Flask API project (or render a team's template).
    New(crate::commands::new::NewArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    ///
    /// For example `flask-harden completions bash > ~/.local/share/bash-completion/completions/flask-harden`
    /// or `flask-harden completions zsh > "${fpath[1]}/_flask-harden"`.
    Completions(crate::commands::completions::CompletionsArgs),
    /// Print the manual page (roff), e.g. `flask-harden man | man -l -`.
    ///
    /// `flask-harden man check` prints the page of one subcommand.
    Man(crate::commands::completions::ManArgs),
    /// Run the language server on standard input and output (LSP).
    ///
    /// Diagnostics on open, change and save; quick fixes (the remediations
    /// `fix` makes, and `# noqa`), "fix all safe" as the
    /// `source.fixAll.flask-harden` code action, and rule documentation on
    /// hover. Start it from the editor with the workspace folder as root.
    Server(crate::server::ServerArgs),
}
