//! How `flask-harden scan` prints its report: as text for people (coloured
//! on a terminal, as `check` and `fix` are) or JSON for machines (the serde
//! form of [`ScanReport`]). The SARIF form is [`super::scan_sarif`].

use std::io::{self, Write};

use anstyle::Style;

use super::color::{BOLD_CYAN, BOLD_GREEN, BOLD_RED, BOLD_YELLOW, DIMMED, GREEN, paint};
use crate::scan::ScanReport;
use crate::scan::probes::ProbeSeverity;
use crate::scan::score::Grade;

/// Green for the A grades, yellow for B and C, red for D and F.
fn grade_style(grade: Grade) -> Style {
    if grade >= Grade::AMinus {
        BOLD_GREEN
    } else if grade >= Grade::CMinus {
        BOLD_YELLOW
    } else {
        BOLD_RED
    }
}

fn severity_style(severity: ProbeSeverity) -> Style {
    match severity {
        ProbeSeverity::High => BOLD_RED,
        ProbeSeverity::Medium => BOLD_YELLOW,
        ProbeSeverity::Low => BOLD_CYAN,
        ProbeSeverity::Info => DIMMED,
    }
}

/// Warns on standard error that TLS certificates are not verified (`--insecure`).
pub fn write_insecure_warning(err: &mut dyn Write) -> io::Result<()> {
    writeln!(
        err,
        "warning: TLS certificate verification is disabled (--insecure)"
    )
}

/// Writes the JSON form (one object, newline-terminated).
pub fn write_json(w: &mut dyn Write, report: &ScanReport) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, report)?;
    writeln!(w)
}

/// Writes the text form: grade and score first, then the tests, the
/// findings, the advice and the notes; ANSI colours when `color`.
pub fn write_text(w: &mut dyn Write, report: &ScanReport, color: bool) -> io::Result<()> {
    writeln!(
        w,
        "Grade {}  (score {})  {}",
        paint(color, grade_style(report.grade), report.grade.as_str()),
        report.score,
        report.url
    )?;
    writeln!(w)?;
    writeln!(w, "Tests (HTTP Observatory, algorithm version 6)")?;
    let width = report.tests.iter().map(|t| t.id.len()).max().unwrap_or(0);
    for t in &report.tests {
        let verdict = if t.pass {
            paint(color, GREEN, "pass")
        } else {
            paint(color, BOLD_RED, "FAIL")
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
                paint(color, severity_style(f.severity), &severity),
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
