//! The human-readable format: `path:line:col: CODE [severity] message`, the
//! source line (secrets masked) with a `^` marker, the fix when there is one,
//! then a summary by severity and code. Colours only when asked for.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::color::{BLUE, BOLD, BOLD_CYAN, BOLD_GREEN, BOLD_RED, BOLD_YELLOW};
use super::{OutputOptions, display_path, masked_line, write_problems};
use crate::analysis::Severity;
use crate::analysis::engine::Report;

struct Palette {
    on: bool,
}

impl Palette {
    fn paint(&self, style: anstyle::Style, text: &str) -> String {
        super::color::paint(self.on, style, text)
    }

    fn severity(&self, severity: Severity) -> String {
        let style = match severity {
            Severity::High => BOLD_RED,
            Severity::Medium => BOLD_YELLOW,
            Severity::Low => BOLD_CYAN,
        };
        self.paint(style, &format!("[{severity}]"))
    }
}

/// Writes the report as text (skipped files and warnings included, at the end).
pub fn write(report: &Report, options: &OutputOptions, out: &mut dyn Write) -> io::Result<()> {
    let palette = Palette { on: options.color };
    let mut by_code: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    let mut by_severity: BTreeMap<Severity, usize> = BTreeMap::new();
    for (file, diagnostic) in report.diagnostics() {
        let path = display_path(file.source.path(), &options.cwd);
        let start = file.source.line_col(diagnostic.range.start());
        writeln!(
            out,
            "{}:{}:{}: {} {} {}",
            palette.paint(BOLD, &path),
            start.line,
            start.column,
            palette.paint(BOLD_RED, diagnostic.rule.code()),
            palette.severity(diagnostic.severity),
            diagnostic.message
        )?;
        let (line, from, to) = masked_line(file, diagnostic.range);
        let gutter = start.line.to_string();
        let pad = " ".repeat(gutter.len());
        writeln!(out, "{pad} |")?;
        writeln!(out, "{} | {line}", palette.paint(BLUE, &gutter))?;
        writeln!(
            out,
            "{pad} | {}{}",
            " ".repeat(from),
            palette.paint(BOLD_RED, &"^".repeat(to - from))
        )?;
        if let Some(fix) = &diagnostic.fix {
            writeln!(
                out,
                "{pad} = fix ({}): {}",
                fix.applicability.as_str(),
                fix.message
            )?;
        }
        writeln!(out)?;
        by_code
            .entry(diagnostic.rule.code())
            .or_insert((0, diagnostic.rule.name()))
            .0 += 1;
        *by_severity.entry(diagnostic.severity).or_default() += 1;
    }
    write_problems(report, options, out)?;
    let total = report.len();
    if total == 0 {
        let files = if report.checked == 1 { "file" } else { "files" };
        writeln!(
            out,
            "{} ({} {files} checked)",
            palette.paint(BOLD_GREEN, "No findings."),
            report.checked
        )?;
        return Ok(());
    }
    let count = |s: Severity| by_severity.get(&s).copied().unwrap_or(0);
    writeln!(
        out,
        "Found {total} {} in {} checked {}: {} high, {} medium, {} low",
        if total == 1 { "finding" } else { "findings" },
        report.checked,
        if report.checked == 1 { "file" } else { "files" },
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low)
    )?;
    for (code, (n, name)) in by_code {
        writeln!(out, "{n:>5}  {code}  {name}")?;
    }
    Ok(())
}
