//! Printing of scan reports, as text for people or JSON for machines. Nothing
//! else in the scanner prints.

use std::io::{self, Write};

use super::report::Report;

/// Writes the JSON form (one object, newline-terminated).
pub fn write_json(w: &mut dyn Write, report: &Report) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, report)?;
    writeln!(w)
}

/// Writes the text form: grade and score first, then the tests, the
/// findings, the advice and the notes.
pub fn write_text(w: &mut dyn Write, report: &Report) -> io::Result<()> {
    writeln!(
        w,
        "Grade {}  (score {})  {}",
        report.grade, report.score, report.url
    )?;
    writeln!(w)?;
    writeln!(w, "Tests (HTTP Observatory, algorithm version 6)")?;
    let width = report.tests.iter().map(|t| t.id.len()).max().unwrap_or(0);
    for t in &report.tests {
        let verdict = if t.pass { "pass" } else { "FAIL" };
        writeln!(
            w,
            "  {verdict}  {:>+4}  {:<width$}  {}",
            t.modifier, t.id, t.reason
        )?;
    }
    writeln!(w)?;
    if report.findings.is_empty() {
        writeln!(w, "Findings: none")?;
    } else {
        writeln!(w, "Findings")?;
        let width = report
            .findings
            .iter()
            .map(|f| f.id.len())
            .max()
            .unwrap_or(0);
        for f in &report.findings {
            writeln!(
                w,
                "  {:<6}  {:<width$}  {}",
                f.severity.as_str(),
                f.id,
                f.message
            )?;
        }
    }
    let advice = report.advice();
    if !advice.is_empty() {
        writeln!(w)?;
        writeln!(w, "Advice")?;
        for (code, what) in advice {
            writeln!(
                w,
                "  flask-harden fix --select {code}    # {}",
                what.join(", ")
            )?;
        }
    }
    if !report.notes.is_empty() {
        writeln!(w)?;
        writeln!(w, "Notes")?;
        for note in &report.notes {
            writeln!(w, "  - {note}")?;
        }
    }
    Ok(())
}
