//! The SARIF 2.1.0 format, as GitHub code scanning accepts it: every registered
//! rule in `tool.driver.rules` with its help text, CWE tags and a
//! `security-severity`; one result per finding with a repository-relative URI
//! and UTF-16 columns (SARIF's default column unit); skipped files and warnings
//! as tool execution notifications.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{OutputOptions, display_path};
use crate::analysis::Severity;
use crate::analysis::engine::Report;
use crate::analysis::registry::RULES;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// Writes the report as one SARIF log.
pub fn write(report: &Report, options: &OutputOptions, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report, options))?;
    writeln!(out)
}

/// The SARIF log as a JSON value.
pub fn log(report: &Report, options: &OutputOptions) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|info| {
            let cwe_number = info.cwe.trim_start_matches("CWE-");
            let help = info.doc.unwrap_or(info.summary);
            json!({
                "id": info.code,
                "name": info.name,
                "shortDescription": { "text": info.summary },
                "fullDescription": { "text": info.summary },
                "help": { "text": help, "markdown": help },
                "defaultConfiguration": { "level": level(info.severity) },
                "properties": {
                    "tags": ["security", info.cwe, format!("external/cwe/cwe-{cwe_number}"), format!("OWASP-{}", info.owasp)],
                    "precision": "high",
                    "problem.severity": match info.severity { Severity::Low => "recommendation", Severity::Medium => "warning", Severity::High => "error" },
                    "security-severity": security_severity(info.severity),
                }
            })
        })
        .collect();
    let results: Vec<Value> = report
        .diagnostics()
        .map(|(file, diagnostic)| {
            let start = file.source.line_col_utf16(diagnostic.range.start());
            let end = file.source.line_col_utf16(diagnostic.range.end());
            let uri = display_path(file.source.path(), &options.cwd);
            json!({
                "ruleId": diagnostic.rule.code(),
                "ruleIndex": diagnostic.rule as usize,
                "level": level(diagnostic.severity),
                "message": { "text": diagnostic.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
                        "region": {
                            "startLine": start.line,
                            "startColumn": start.column,
                            "endLine": end.line,
                            "endColumn": end.column,
                        }
                    }
                }],
                "properties": { "severity": diagnostic.severity.as_str() }
            })
        })
        .collect();
    let mut notifications: Vec<Value> = report
        .skipped
        .iter()
        .map(|skipped| {
            let mut region = json!({});
            if let Some((line, column)) = skipped.position {
                region = json!({ "startLine": line, "startColumn": column });
            }
            let (level, outcome) = if skipped.explicit {
                ("error", "named on the command line, cannot be analysed")
            } else {
                ("warning", "file skipped")
            };
            json!({
                "level": level,
                "message": { "text": format!("{} ({outcome})", skipped.reason) },
                "locations": [{ "physicalLocation": {
                    "artifactLocation": { "uri": display_path(&skipped.path, &options.cwd), "uriBaseId": "%SRCROOT%" },
                    "region": region,
                }}]
            })
        })
        .collect();
    notifications.extend(report.warnings.iter().map(|warning| {
        json!({
            "level": "warning",
            "message": { "text": warning.message },
            "locations": [{ "physicalLocation": {
                "artifactLocation": { "uri": display_path(&warning.path, &options.cwd), "uriBaseId": "%SRCROOT%" },
                "region": { "startLine": warning.line },
            }}]
        })
    }));
    // Skipped files' regions may be empty objects; drop them to stay schema-clean.
    for notification in &mut notifications {
        if let Some(location) = notification.pointer_mut("/locations/0/physicalLocation")
            && location["region"]
                .as_object()
                .is_some_and(serde_json::Map::is_empty)
            && let Some(map) = location.as_object_mut()
        {
            map.remove("region");
        }
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "flask-harden",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "utf16CodeUnits",
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }]
    })
}
