//! Printing of scan reports, as text for people (coloured on a terminal, as
//! `check` and `fix` are) or JSON for machines. Nothing else in the scanner
//! prints.

use std::io::{self, Write};

use super::probes::Severity;
use super::report::Report;
use super::score::Grade;
use crate::output::color::paint;

/// Green for the A grades, yellow for B and C, red for D and F.
fn grade_colour(grade: Grade) -> &'static str {
    if grade >= Grade::AMinus {
        "1;32"
    } else if grade >= Grade::CMinus {
        "1;33"
    } else {
        "1;31"
    }
}

fn severity_colour(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "1;31",
        Severity::Medium => "1;33",
        Severity::Low => "1;36",
        Severity::Info => "2",
    }
}

/// Writes the JSON form (one object, newline-terminated).
pub fn write_json(w: &mut dyn Write, report: &Report) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, report)?;
    writeln!(w)
}

/// Writes the text form: grade and score first, then the tests, the
/// findings, the advice and the notes; ANSI colours when `color`.
pub fn write_text(w: &mut dyn Write, report: &Report, color: bool) -> io::Result<()> {
    writeln!(
        w,
        "Grade {}  (score {})  {}",
        paint(color, grade_colour(report.grade), report.grade.as_str()),
        report.score,
        report.url
    )?;
    writeln!(w)?;
    writeln!(w, "Tests (HTTP Observatory, algorithm version 6)")?;
    let width = report.tests.iter().map(|t| t.id.len()).max().unwrap_or(0);
    for t in &report.tests {
        let verdict = if t.pass {
            paint(color, "32", "pass")
        } else {
            paint(color, "1;31", "FAIL")
        };
        let category = if t.pass {
            String::new()
        } else {
            format!("  [{}]", t.owasp.id)
        };
        writeln!(
            w,
            "  {verdict}  {:>+4}  {:<width$}  {}{category}",
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
            let severity = format!("{:<6}", f.severity.as_str());
            writeln!(
                w,
                "  {}  {:<width$}  [{}]  {}",
                paint(color, severity_colour(f.severity), &severity),
                f.id,
                f.owasp.id,
                f.message
            )?;
        }
    }
    if let Some(surface) = &report.surface {
        writeln!(w)?;
        writeln!(
            w,
            "API contract {}: {} read operations, {} secured (requested without credentials{})",
            surface.contract,
            surface.operations,
            surface.secured,
            if surface.skipped > 0 {
                format!("; {} not requested: cap reached", surface.skipped)
            } else {
                String::new()
            }
        )?;
        if surface.public.is_empty() {
            writeln!(w, "  public operations: none")?;
        } else {
            writeln!(w, "  public operations (the unauthenticated surface):")?;
            for op in surface.public.iter().take(30) {
                writeln!(w, "    {op}")?;
            }
            if surface.public.len() > 30 {
                writeln!(w, "    ... and {} more", surface.public.len() - 30)?;
            }
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
