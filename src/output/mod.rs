//! Printing, and nothing else prints: every command's user-facing output is
//! written here, the commands only orchestrate. The check report as text
//! ([`text`]), JSON ([`json`]), SARIF ([`sarif`]) or GitHub workflow
//! annotations ([`github`]) and its problem lines (this module); `fix`'s
//! diffs, summaries and error lines ([`fix`]); the scan report as text and
//! JSON ([`scan`]) or SARIF ([`scan_sarif`]); `new`'s summary ([`new`]);
//! rule documentation ([`rules`]). JSON and SARIF are built from `Serialize`
//! types; colours are [`anstyle`] styles, decided and streamed by [`color`].
//! Every printer writes to the writers it is given.

pub mod color;
pub mod fix;
pub mod github;
pub mod json;
pub mod new;
pub mod rules;
pub mod sarif;
pub mod scan;
pub mod scan_sarif;
pub mod text;

use std::io::{self, Write};
use std::path::{Component, Path};

use crate::analysis::engine::{FileReport, Report, SkippedFile};
use crate::analysis::{TextRange, TextSize};

/// The `check --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Human-readable findings with source lines and a summary.
    Text,
    /// One JSON array of findings (the contract in RULES.md).
    Json,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow-command annotations.
    Github,
}

/// How to print.
#[derive(Debug, Clone)]
pub struct OutputOptions {
    /// Use ANSI colours (text format only).
    pub color: bool,
    /// The directory paths are printed relative to.
    pub cwd: std::path::PathBuf,
}

/// Prints a report in `format`: findings to `out`, skipped files and warnings to `err`.
pub fn write_report(
    format: OutputFormat,
    report: &Report,
    options: &OutputOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Text => text::write(report, options, out)?,
        OutputFormat::Json => json::write(report, options, out)?,
        OutputFormat::Sarif => sarif::write(report, options, out)?,
        OutputFormat::Github => github::write(report, options, out)?,
    }
    if format != OutputFormat::Text {
        write_problems(report, options, err)?;
    }
    Ok(())
}

/// Prints skipped files (found by walking a folder) and warnings, one per line.
/// Files named on the command line that could not be analysed are errors,
/// printed by [`write_errors`].
pub fn write_problems(
    report: &Report,
    options: &OutputOptions,
    err: &mut dyn Write,
) -> io::Result<()> {
    for skipped in report.skipped.iter().filter(|s| !s.explicit) {
        writeln!(
            err,
            "warning: {}: {} (file skipped)",
            skipped_location(skipped, options),
            skipped.reason
        )?;
    }
    for warning in &report.warnings {
        let path = display_path(&warning.path, &options.cwd);
        writeln!(err, "warning: {path}:{}: {}", warning.line, warning.message)?;
    }
    Ok(())
}

/// Prints one error line per file named on the command line that could not be
/// analysed (`error: path:line:column: reason ...`); whether there was any.
pub fn write_errors(
    report: &Report,
    options: &OutputOptions,
    err: &mut dyn Write,
) -> io::Result<bool> {
    let mut any = false;
    for skipped in report.unanalysable_named_files() {
        any = true;
        writeln!(
            err,
            "error: {}: {} (the file was named on the command line and cannot be analysed)",
            skipped_location(skipped, options),
            skipped.reason
        )?;
    }
    Ok(any)
}

/// Prints one `note:` line per symbolic link that was not followed because it
/// leads outside the walked folders (or nowhere).
pub fn write_notes(
    report: &Report,
    options: &OutputOptions,
    err: &mut dyn Write,
) -> io::Result<()> {
    for link in &report.unfollowed_links {
        let path = display_path(&link.path, &options.cwd);
        match &link.target {
            Some(target) => writeln!(
                err,
                "note: {path} is a symbolic link to {}, outside the checked folder: not followed",
                display_path(target, &options.cwd)
            )?,
            None => writeln!(
                err,
                "note: {path} is a symbolic link that does not resolve: not followed"
            )?,
        }
    }
    Ok(())
}

/// `path:line:column`, or `path` when the problem has no position.
fn skipped_location(skipped: &SkippedFile, options: &OutputOptions) -> String {
    let path = display_path(&skipped.path, &options.cwd);
    match skipped.position {
        Some((line, column)) => format!("{path}:{line}:{column}"),
        None => path,
    }
}

/// Prints the one-line file accounting of `check --statistics`:
/// `statistics: N files analysed (P Python, O other), S skipped, W warnings`.
pub fn write_statistics(report: &Report, err: &mut dyn Write) -> io::Result<()> {
    writeln!(
        err,
        "statistics: {} {} analysed ({} Python, {} other), {} skipped, {} {}",
        report.checked,
        if report.checked == 1 { "file" } else { "files" },
        report.checked_python,
        report.checked - report.checked_python,
        report.skipped.len(),
        report.warnings.len(),
        if report.warnings.len() == 1 {
            "warning"
        } else {
            "warnings"
        },
    )
}

/// `text` with control characters (ESC, NUL, CR, ... but not tab) shown as
/// `\u{1b}`: text from sources and file names never reaches the terminal raw.
pub fn escape_control(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\t') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && c != '\t' {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The longest source line shown whole; longer ones are cut around the finding.
pub const MAX_SHOWN_LINE: usize = 400;

/// A path relative to `cwd` when it is below it, `/`-separated, without `./`.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let relative = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    let mut parts: Vec<String> = Vec::new();
    for component in relative.components() {
        match component {
            Component::CurDir => {}
            Component::RootDir => parts.push(String::new()),
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().into_owned()),
            Component::ParentDir => parts.push("..".into()),
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    if joined.is_empty() {
        ".".into()
    } else {
        escape_control(&joined).into_owned()
    }
}

/// Start and end positions (1-based line, character column) of a range.
pub fn positions(file: &FileReport, range: TextRange) -> ((usize, usize), (usize, usize)) {
    let start = file.source.line_col(range.start());
    let end = file.source.line_col(range.end());
    ((start.line, start.column), (end.line, end.column))
}

/// The source line of `range.start()` with every secret literal replaced by
/// `"***"` and tabs shown as spaces, and the character span of `range` on that
/// shown line (clamped to the line, at least one character wide).
pub fn masked_line(file: &FileReport, range: TextRange) -> (String, usize, usize) {
    let full_range = file.source.line_range(range.start());
    let full = file.source.slice(full_range);
    // A very long line (minified or generated code) is cut to a window
    // around the finding, marked with `…` at each cut.
    let (line_range, cut_before, cut_after) = if full.len() > MAX_SHOWN_LINE {
        let rel = (range.start() - full_range.start()).to_usize();
        let mut from = rel.saturating_sub(MAX_SHOWN_LINE / 4);
        while !full.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (from + MAX_SHOWN_LINE).min(full.len());
        while !full.is_char_boundary(to) {
            to += 1;
        }
        let offset = |n: usize| full_range.start() + TextSize::try_from(n).unwrap_or_default();
        (
            TextRange::new(offset(from), offset(to)),
            from > 0,
            to < full.len(),
        )
    } else {
        (full_range, false, false)
    };
    let line = file.source.slice(line_range);
    let mut shown = String::new();
    let mut width = 0usize;
    if cut_before {
        shown.push('…');
        width += 1;
    }
    let (mut start_col, mut end_col) = (None, None);
    let mut in_secret: Option<TextRange> = None;
    for (i, ch) in line.char_indices() {
        let offset = line_range.start() + TextSize::try_from(i).unwrap_or_default();
        if start_col.is_none() && offset >= range.start() {
            start_col = Some(width);
        }
        if end_col.is_none() && offset >= range.end() {
            end_col = Some(width);
        }
        if in_secret.is_some_and(|s| s.contains(offset)) {
            continue;
        }
        in_secret = file.secrets.iter().copied().find(|s| s.contains(offset));
        if in_secret.is_some() {
            shown.push_str("\"***\"");
            width += 5;
            continue;
        }
        if ch.is_control() && ch != '\t' {
            let escaped = ch.escape_unicode().to_string();
            width += escaped.chars().count();
            shown.push_str(&escaped);
            continue;
        }
        shown.push(if ch == '\t' { ' ' } else { ch });
        width += 1;
    }
    if cut_after {
        shown.push('…');
    }
    let start = start_col.unwrap_or(width);
    let end = end_col.unwrap_or(width).max(start + 1);
    (shown, start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_and_slash_separated() {
        let cwd = Path::new("/work/proj");
        assert_eq!(
            display_path(Path::new("/work/proj/app/main.py"), cwd),
            "app/main.py"
        );
        assert_eq!(display_path(Path::new("./app/main.py"), cwd), "app/main.py");
        assert_eq!(
            display_path(Path::new("/elsewhere/x.py"), cwd),
            "/elsewhere/x.py"
        );
    }
}
