//! The scan report as SARIF 2.1.0: one rule per finding kind and failed
//! Observatory test of the report, one result each, located at the scanned
//! URL, with the OWASP API Security Top 10 (2023) category and the
//! `flask-harden fix` rule in the properties. The SARIF objects are those of
//! [`super::sarif`].

use std::io::{self, Write};

use serde::Serialize;

use super::sarif::{
    ArtifactLocation, DefaultConfiguration, Driver, Help, Location, Log, PhysicalLocation, Rule,
    Run, RunProperties, SarifResult, Text, Tool,
};
use crate::scan::ScanReport;
use crate::scan::owasp::Owasp;
use crate::scan::probes::ProbeSeverity;

fn level(severity: ProbeSeverity) -> &'static str {
    match severity {
        ProbeSeverity::High => "error",
        ProbeSeverity::Medium => "warning",
        ProbeSeverity::Low | ProbeSeverity::Info => "note",
    }
}

fn security_severity(severity: ProbeSeverity) -> &'static str {
    match severity {
        ProbeSeverity::High => "8.0",
        ProbeSeverity::Medium => "5.5",
        ProbeSeverity::Low => "3.0",
        ProbeSeverity::Info => "0.0",
    }
}

/// The scan rules' `properties`.
#[derive(Serialize)]
struct ScanRuleProperties {
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    tags: [String; 2],
}

/// The scan results' `properties`: the fix rule (`null` when none), the
/// OWASP category, the severity.
#[derive(Serialize)]
struct ScanResultProperties {
    fix: Option<&'static str>,
    owasp: Owasp,
    severity: &'static str,
}

/// One result before it is written: rule id, severity, message, fix, category.
struct Item<'r> {
    id: &'r str,
    severity: ProbeSeverity,
    message: String,
    fix: Option<&'static str>,
    owasp: Owasp,
}

/// Writes the report as one SARIF log.
pub fn write(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report))?;
    writeln!(out)
}

/// The scan report's SARIF log.
fn log(report: &ScanReport) -> Log<'_, ScanRuleProperties, ScanResultProperties> {
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
            severity: ProbeSeverity::Medium,
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
    let rules = rule_ids
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
            Rule {
                default_configuration: DefaultConfiguration {
                    level: level(item.severity),
                },
                full_description: None,
                help: Help {
                    markdown: None,
                    text: help.into(),
                },
                id,
                name: id,
                properties: ScanRuleProperties {
                    security_severity: security_severity(item.severity),
                    tags: ["security".to_owned(), format!("OWASP-{}", item.owasp.id)],
                },
                short_description: Text::owned(format!("flask-harden scan: {id}")),
            }
        })
        .collect();
    let results = items
        .iter()
        .map(|item| {
            let mut message = item.message.clone();
            if let Some(fix) = item.fix {
                message.push_str(&format!(" (fix: flask-harden fix --select {fix})"));
            }
            SarifResult {
                level: level(item.severity),
                locations: [Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation {
                            uri: report.url.as_str().into(),
                            uri_base_id: None,
                        },
                        region: None,
                    },
                }],
                message: Text::owned(message),
                properties: ScanResultProperties {
                    fix: item.fix,
                    owasp: item.owasp,
                    severity: item.severity.as_str(),
                },
                rule_id: item.id,
                rule_index: rule_ids.iter().position(|r| *r == item.id).unwrap_or(0),
            }
        })
        .collect();
    Log::new(Run {
        column_kind: None,
        invocations: None,
        properties: Some(RunProperties {
            grade: report.grade.as_str(),
            score: report.score,
        }),
        results,
        tool: Tool {
            driver: Driver::new(rules),
        },
    })
}
