//! The scan report as SARIF 2.1.0: one rule per finding kind and failed
//! Observatory test of the report, one result each, located at the scanned
//! URL, with the OWASP API Security Top 10 (2023) category and the
//! `flask-harden fix` rule in the properties.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::owasp::Owasp;
use super::probes::Severity;
use super::report::Report;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// One result before it is written: rule id, severity, message, fix, category.
struct Item<'r> {
    id: &'r str,
    severity: Severity,
    message: String,
    fix: Option<&'static str>,
    owasp: Owasp,
}

/// Writes the report as one SARIF log.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report))?;
    writeln!(out)
}

/// The SARIF log as a JSON value.
pub fn log(report: &Report) -> Value {
    let items: Vec<Item> = report
        .findings
        .iter()
        .map(|f| Item {
            id: f.id,
            severity: f.severity,
            message: f.message.clone(),
            fix: f.fix,
            owasp: f.owasp,
        })
        .chain(report.tests.iter().filter(|t| !t.pass).map(|t| Item {
            id: t.id,
            // A failed header test weighs like a medium finding.
            severity: Severity::Medium,
            message: format!("{}: {}", t.id, t.reason),
            fix: t.fix,
            owasp: t.owasp,
        }))
        .collect();
    let mut rule_ids: Vec<&str> = Vec::new();
    for item in &items {
        if !rule_ids.contains(&item.id) {
            rule_ids.push(item.id);
        }
    }
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| {
            let item = items
                .iter()
                .find(|i| i.id == *id)
                .expect("listed from the items");
            let mut help = format!("{}.", item.owasp.label());
            if let Some(fix) = item.fix {
                help.push_str(&format!(
                    " Remediation in code: `flask-harden fix --select {fix}`."
                ));
            }
            json!({
                "id": id,
                "name": id,
                "shortDescription": { "text": format!("flask-harden scan: {id}") },
                "help": { "text": help },
                "defaultConfiguration": { "level": level(item.severity) },
                "properties": {
                    "tags": ["security", format!("OWASP-{}", item.owasp.id)],
                    "security-severity": security_severity(item.severity),
                }
            })
        })
        .collect();
    let results: Vec<Value> = items
        .iter()
        .map(|item| {
            let mut message = item.message.clone();
            if let Some(fix) = item.fix {
                message.push_str(&format!(" (fix: flask-harden fix --select {fix})"));
            }
            json!({
                "ruleId": item.id,
                "ruleIndex": rule_ids.iter().position(|r| *r == item.id).unwrap_or(0),
                "level": level(item.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": { "artifactLocation": { "uri": report.url } }
                }],
                "properties": {
                    "severity": item.severity.as_str(),
                    "owasp": { "id": item.owasp.id, "name": item.owasp.name },
                    "fix": item.fix,
                }
            })
        })
        .collect();
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
            "results": results,
            "properties": {
                "grade": report.grade.as_str(),
                "score": report.score,
            }
        }]
    })
}
