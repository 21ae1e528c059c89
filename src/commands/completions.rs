//! `flask-harden completions SHELL` and `flask-harden man`: shell completion
//! scripts (clap_complete) and the roff manual page (clap_mangen), generated
//! from the same clap definitions as `--help`, so they never drift from it.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::ExitStatus;
use crate::cli::Cli;

/// Arguments of `flask-harden completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Arguments of `flask-harden man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// The subcommand whose page to print (`check`, `fix`, ...); the main
    /// page when omitted.
    pub subcommand: Option<String>,
}

/// Writes the completion script for the chosen shell to standard output.
pub fn run(args: CompletionsArgs) -> anyhow::Result<ExitStatus> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, BIN, &mut script);
    if args.shell == Shell::Bash {
        script = mend_bash(&script);
    }
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitStatus::Success)
}

const BIN: &str = "flask-harden";

/// clap_complete 4.6 names the bash cases of a subcommand's options after the
/// binary with its `-` written as `__subcmd__` (`flask__subcmd__harden__subcmd__check`)
/// while the word loop that picks the case writes it as `__`
/// (`flask__harden__subcmd__check`), so options of subcommands never completed
/// for a hyphenated binary name. Writing the case labels the loop's way mends it.
fn mend_bash(script: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(script);
    text.replace("flask__subcmd__harden", "flask__harden")
        .into_bytes()
}

/// Writes the roff manual page to standard output.
pub fn run_man(args: ManArgs) -> anyhow::Result<ExitStatus> {
    let command = Cli::command();
    let (page, title) = match args.subcommand.as_deref() {
        None => (command, "flask-harden".to_owned()),
        Some(name) => {
            let Some(sub) = command.find_subcommand(name).cloned() else {
                anyhow::bail!(
                    "unknown subcommand `{name}` (one of: {})",
                    command
                        .get_subcommands()
                        .map(|s| s.get_name().to_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            };
            let full = format!("flask-harden-{name}");
            let page = sub
                .name(full.clone())
                .bin_name(format!("flask-harden {name}"))
                .version(env!("CARGO_PKG_VERSION"));
            (page, full)
        }
    };
    let mut rendered = Vec::new();
    clap_mangen::Man::new(page)
        .title(title)
        .render(&mut rendered)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&rendered)?;
    out.flush()?;
    Ok(ExitStatus::Success)
}
