//! The JSON format: one array, one object per finding, exactly the fields of the
//! RULES.md output contract (plus the fix's edits).
//!
//! The fields are declared in alphabetical order: that is the order the
//! contract's output has always had.

use std::io::{self, Write};

use serde::Serialize;

use super::{OutputOptions, display_path, positions};
use crate::analysis::engine::{FileReport, Report};
use crate::analysis::{Diagnostic, Fix};

/// One finding.
#[derive(Serialize)]
struct Finding<'a> {
    code: &'static str,
    column: usize,
    cwe: &'static str,
    end_column: usize,
    end_line: usize,
    /// `null` when the finding has no fix.
    fix: Option<FixJson<'a>>,
    line: usize,
    message: &'a str,
    name: &'static str,
    owasp: &'static str,
    path: String,
    severity: &'static str,
}

/// A finding's fix.
#[derive(Serialize)]
struct FixJson<'a> {
    applicability: &'static str,
    edits: Vec<EditJson<'a>>,
    message: &'a str,
}

/// One edit of a fix, with 1-based positions.
#[derive(Serialize)]
struct EditJson<'a> {
    column: usize,
    content: &'a str,
    end_column: usize,
    end_line: usize,
    line: usize,
}

/// Writes the findings as a JSON array.
pub fn write(report: &Report, options: &OutputOptions, out: &mut dyn Write) -> io::Result<()> {
    let items: Vec<Finding> = report
        .diagnostics()
        .map(|(file, diagnostic)| finding(file, diagnostic, options))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)
}

fn finding<'a>(
    file: &'a FileReport,
    diagnostic: &'a Diagnostic,
    options: &OutputOptions,
) -> Finding<'a> {
    let info = diagnostic.rule.info();
    let ((line, column), (end_line, end_column)) = positions(file, diagnostic.range);
    Finding {
        code: info.code,
        column,
        cwe: info.cwe,
        end_column,
        end_line,
        fix: diagnostic.fix.as_ref().map(|fix| fix_json(file, fix)),
        line,
        message: &diagnostic.message,
        name: info.name,
        owasp: info.owasp,
        path: display_path(file.source.path(), &options.cwd),
        severity: diagnostic.severity.as_str(),
    }
}

fn fix_json<'a>(file: &FileReport, fix: &'a Fix) -> FixJson<'a> {
    let edits = fix
        .edits
        .iter()
        .map(|edit| {
            let ((line, column), (end_line, end_column)) = positions(file, edit.range);
            EditJson {
                column,
                content: &edit.content,
                end_column,
                end_line,
                line,
            }
        })
        .collect();
    FixJson {
        applicability: fix.applicability.as_str(),
        edits,
        message: &fix.message,
    }
}
