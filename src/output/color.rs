//! When and how every command colours its output: ANSI colours only for a
//! text format written to a terminal, and never with `--no-color` or a
//! non-empty `NO_COLOR` environment variable (<https://no-color.org>).

use std::io::IsTerminal;

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

/// `text` wrapped in the ANSI SGR sequence `code` (e.g. `"1;31"`) when `on`.
pub fn paint(on: bool, code: &str, text: &str) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
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
        assert_eq!(paint(false, "1", "x"), "x");
        assert_eq!(paint(true, "1;31", "x"), "\x1b[1;31mx\x1b[0m");
    }
}
