//! When and how every command colours its output: ANSI colours only for a
//! text format written to a terminal, and never with `--no-color` or a
//! non-empty `NO_COLOR` environment variable (<https://no-color.org>).
//!
//! The styles are [`anstyle`] values; standard output goes through an
//! [`anstream`] stream ([`stdout`]), which turns the styles into console calls
//! on Windows consoles that do not understand ANSI.

use std::io::{IsTerminal, StdoutLock};

use anstream::{AutoStream, ColorChoice};
use anstyle::{AnsiColor, Style};

/// Paths, rule codes in `fix` headers, diff file headers.
pub const BOLD: Style = Style::new().bold();
/// Rule codes and markers in `check`, high severities, failed scan tests.
pub const BOLD_RED: Style = bold(AnsiColor::Red);
/// Medium severities, B and C grades.
pub const BOLD_YELLOW: Style = bold(AnsiColor::Yellow);
/// Low severities.
pub const BOLD_CYAN: Style = bold(AnsiColor::Cyan);
/// "No findings.", A grades.
pub const BOLD_GREEN: Style = bold(AnsiColor::Green);
/// Line numbers in the `check` gutter.
pub const BLUE: Style = plain(AnsiColor::Blue);
/// Added diff lines, passed scan tests.
pub const GREEN: Style = plain(AnsiColor::Green);
/// Removed diff lines.
pub const RED: Style = plain(AnsiColor::Red);
/// Diff hunk headers.
pub const CYAN: Style = plain(AnsiColor::Cyan);
/// Informational scan findings.
pub const DIMMED: Style = Style::new().dimmed();

const fn plain(color: AnsiColor) -> Style {
    Style::new().fg_color(Some(anstyle::Color::Ansi(color)))
}

const fn bold(color: AnsiColor) -> Style {
    plain(color).bold()
}

/// Whether to colour: `text_format` output to a terminal, unless the
/// `--no-color` flag was given or `NO_COLOR` is set to a non-empty value.
pub fn enabled(no_color_flag: bool, text_format: bool) -> bool {
    decide(
        no_color_flag,
        std::env::var_os("NO_COLOR").as_deref(),
        text_format,
        std::io::stdout().is_terminal(),
    )
}

fn decide(
    no_color_flag: bool,
    no_color_env: Option<&std::ffi::OsStr>,
    text_format: bool,
    terminal: bool,
) -> bool {
    !no_color_flag && no_color_env.is_none_or(|v| v.is_empty()) && text_format && terminal
}

/// Locked standard output for the printers. With `color` the styles reach
/// the terminal (as console calls where ANSI is not understood); without it
/// the bytes pass through untouched (the printers then write no styles).
pub fn stdout(color: bool) -> AutoStream<StdoutLock<'static>> {
    let choice = if color {
        ColorChoice::Always
    } else {
        ColorChoice::AlwaysAnsi
    };
    AutoStream::new(std::io::stdout().lock(), choice)
}

/// `text` in `style` when `on`, else `text` as it is.
pub fn paint(on: bool, style: Style, text: &str) -> String {
    if on {
        format!("{style}{text}{style:#}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn colour_only_for_text_on_a_terminal_without_opt_out() {
        assert!(decide(false, None, true, true));
        assert!(
            decide(false, Some(OsStr::new("")), true, true),
            "empty NO_COLOR is unset"
        );
        assert!(!decide(true, None, true, true), "--no-color");
        assert!(
            !decide(false, Some(OsStr::new("1")), true, true),
            "NO_COLOR"
        );
        assert!(!decide(false, None, false, true), "json");
        assert!(!decide(false, None, true, false), "not a terminal");
        assert_eq!(paint(false, BOLD_RED, "x"), "x");
        assert_eq!(paint(true, BOLD, "x"), "\x1b[1mx\x1b[0m");
        assert_eq!(paint(true, BOLD_RED, "x"), "\x1b[1m\x1b[31mx\x1b[0m");
    }
}
