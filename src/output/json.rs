//! The JSON format: one array, one object per finding, exactly the fields of the
//! RULES.md output contract (plus the fix's edits).

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{OutputOptions, display_path, positions};
use crate::analysis::engine::{FileReport, Report};
use crate::analysis::{Diagnostic, Fix};

/// Writes the findings as a JSON array.
pub fn write(report: &Report, options: &OutputOptions, out: &mut dyn Write) -> io::Result<()> {
    let items: Vec<Value> = report
        .diagnostics()
        .map(|(file, diagnostic)| finding(file, diagnostic, options))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)
}

/// One finding as a JSON object.
pub fn finding(file: &FileReport, diagnostic: &Diagnostic, options: &OutputOptions) -> Value {
    let info = diagnostic.rule.info();
    let ((line, column), (end_line, end_column)) = positions(file, diagnostic.range);
    json!({
        "code": info.code,
        "name": info.name,
        "severity": diagnostic.severity.as_str(),
        "message": diagnostic.message,
        "path": display_path(file.source.path(), &options.cwd),
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "fix": diagnostic.fix.as_ref().map(|fix| fix_json(file, fix)),
        "cwe": info.cwe,
        "owasp": info.owasp,
    })
}

fn fix_json(file: &FileReport, fix: &Fix) -> Value {
    let edits: Vec<Value> = fix
        .edits
        .iter()
        .map(|edit| {
            let ((line, column), (end_line, end_column)) = positions(file, edit.range);
            json!({
                "content": edit.content,
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
            })
        })
        .collect();
    json!({
        "applicability": fix.applicability.as_str(),
        "message": fix.message,
        "edits": edits,
    })
}
