//! The SARIF 2.1.0 format, as GitHub code scanning accepts it: every registered
//! rule in `tool.driver.rules` with its help text, CWE tags and a
//! `security-severity`; one result per finding with a repository-relative URI
//! and UTF-16 columns (SARIF's default column unit); skipped files and warnings
//! as tool execution notifications.
//!
//! The SARIF objects are typed here and shared with the scan's log
//! ([`super::scan_sarif`]). Their fields are declared in alphabetical order
//! (the order the logs have always had); parts only one log has are optional
//! and left out when absent.

use std::io::{self, Write};

use serde::Serialize;

use super::{OutputOptions, display_path};
use crate::analysis::Severity;
use crate::analysis::engine::Report;
use crate::analysis::registry::RULES;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const VERSION: &str = "2.1.0";

/// The whole log: one run.
#[derive(Serialize)]
pub(super) struct Log<'a, RuleProps, ResultProps> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a, RuleProps, ResultProps>; 1],
    version: &'static str,
}

impl<'a, RuleProps, ResultProps> Log<'a, RuleProps, ResultProps> {
    /// A log of `run`.
    pub(super) fn new(run: Run<'a, RuleProps, ResultProps>) -> Self {
        Self {
            schema: SCHEMA,
            runs: [run],
            version: VERSION,
        }
    }
}

/// One run of flask-harden.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Run<'a, RuleProps, ResultProps> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column_kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invocations: Option<[Invocation<'a>; 1]>,
    /// The scan's grade and score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<RunProperties>,
    pub results: Vec<SarifResult<'a, ResultProps>>,
    pub tool: Tool<'a, RuleProps>,
}

/// The scan's grade and score.
#[derive(Serialize)]
pub(super) struct RunProperties {
    pub grade: &'static str,
    pub score: i32,
}

/// `tool`: the driver.
#[derive(Serialize)]
pub(super) struct Tool<'a, RuleProps> {
    pub driver: Driver<'a, RuleProps>,
}

/// `tool.driver`: flask-harden and its rules.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Driver<'a, RuleProps> {
    name: &'static str,
    rules: Vec<Rule<'a, RuleProps>>,
    semantic_version: &'static str,
    version: &'static str,
}

impl<'a, RuleProps> Driver<'a, RuleProps> {
    /// flask-harden at this version, with `rules`.
    pub(super) fn new(rules: Vec<Rule<'a, RuleProps>>) -> Self {
        Self {
            name: "flask-harden",
            rules,
            semantic_version: env!("CARGO_PKG_VERSION"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// One rule (a reporting descriptor).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Rule<'a, Props> {
    pub default_configuration: DefaultConfiguration,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_description: Option<Text<'a>>,
    pub help: Help<'a>,
    pub id: &'a str,
    pub name: &'a str,
    pub properties: Props,
    pub short_description: Text<'a>,
}

/// A rule's default level.
#[derive(Serialize)]
pub(super) struct DefaultConfiguration {
    pub level: &'static str,
}

/// A rule's help, as text and (optionally) Markdown.
#[derive(Serialize)]
pub(super) struct Help<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markdown: Option<&'a str>,
    pub text: std::borrow::Cow<'a, str>,
}

/// A message or description: `{"text": ...}`.
#[derive(Serialize)]
pub(super) struct Text<'a> {
    pub text: std::borrow::Cow<'a, str>,
}

impl<'a> Text<'a> {
    /// Borrowed text.
    pub(super) fn borrowed(text: &'a str) -> Self {
        Self { text: text.into() }
    }

    /// Owned text.
    pub(super) fn owned(text: String) -> Self {
        Self { text: text.into() }
    }
}

/// One result.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SarifResult<'a, Props> {
    pub level: &'static str,
    pub locations: [Location<'a>; 1],
    pub message: Text<'a>,
    pub properties: Props,
    pub rule_id: &'a str,
    pub rule_index: usize,
}

/// A location: a file (or URL) and, optionally, a region in it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Location<'a> {
    pub physical_location: PhysicalLocation<'a>,
}

/// `physicalLocation`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PhysicalLocation<'a> {
    pub artifact_location: ArtifactLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

/// `artifactLocation`: a URI, relative to `%SRCROOT%` for source files.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ArtifactLocation<'a> {
    pub uri: std::borrow::Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
}

/// A region: 1-based lines, UTF-16 columns; what is unknown is left out.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct Region {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_line: Option<usize>,
}

/// The check run's one invocation.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Invocation<'a> {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification<'a>>,
}

/// A skipped file or a warning.
#[derive(Serialize)]
pub(super) struct Notification<'a> {
    level: &'static str,
    locations: [Location<'a>; 1],
    message: Text<'a>,
}

/// The check rules' `properties`.
#[derive(Serialize)]
struct CheckRuleProperties {
    precision: &'static str,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    tags: [String; 4],
}

/// The check results' `properties`.
#[derive(Serialize)]
struct CheckResultProperties {
    severity: &'static str,
}

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

fn problem_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "recommendation",
        Severity::Medium => "warning",
        Severity::High => "error",
    }
}

/// A source file's location, relative to `%SRCROOT%`.
fn source_location(uri: String, region: Option<Region>) -> [Location<'static>; 1] {
    [Location {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri.into(),
                uri_base_id: Some("%SRCROOT%"),
            },
            region,
        },
    }]
}

/// Writes the report as one SARIF log.
pub fn write(report: &Report, options: &OutputOptions, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report, options))?;
    writeln!(out)
}

/// The check report's SARIF log.
fn log<'a>(
    report: &'a Report,
    options: &OutputOptions,
) -> Log<'a, CheckRuleProperties, CheckResultProperties> {
    let rules = RULES
        .iter()
        .map(|info| {
            let cwe_number = info.cwe.trim_start_matches("CWE-");
            let help = info.doc.unwrap_or(info.summary);
            Rule {
                default_configuration: DefaultConfiguration {
                    level: level(info.severity),
                },
                full_description: Some(Text::borrowed(info.summary)),
                help: Help {
                    markdown: Some(help),
                    text: help.into(),
                },
                id: info.code,
                name: info.name,
                properties: CheckRuleProperties {
                    precision: "high",
                    problem_severity: problem_severity(info.severity),
                    security_severity: security_severity(info.severity),
                    tags: [
                        "security".to_owned(),
                        info.cwe.to_owned(),
                        format!("external/cwe/cwe-{cwe_number}"),
                        format!("OWASP-{}", info.owasp),
                    ],
                },
                short_description: Text::borrowed(info.summary),
            }
        })
        .collect();
    let results = report
        .diagnostics()
        .map(|(file, diagnostic)| {
            let start = file.source.line_col_utf16(diagnostic.range.start());
            let end = file.source.line_col_utf16(diagnostic.range.end());
            let uri = display_path(file.source.path(), &options.cwd);
            SarifResult {
                level: level(diagnostic.severity),
                locations: source_location(
                    uri,
                    Some(Region {
                        end_column: Some(end.column),
                        end_line: Some(end.line),
                        start_column: Some(start.column),
                        start_line: Some(start.line),
                    }),
                ),
                message: Text::borrowed(&diagnostic.message),
                properties: CheckResultProperties {
                    severity: diagnostic.severity.as_str(),
                },
                rule_id: diagnostic.rule.code(),
                rule_index: diagnostic.rule as usize,
            }
        })
        .collect();
    let mut notifications: Vec<Notification> = report
        .skipped
        .iter()
        .map(|skipped| {
            // A skipped file without a position has no region at all.
            let region = skipped.position.map(|(line, column)| Region {
                start_column: Some(column),
                start_line: Some(line),
                ..Region::default()
            });
            let (level, outcome) = if skipped.explicit {
                ("error", "named on the command line, cannot be analysed")
            } else {
                ("warning", "file skipped")
            };
            Notification {
                level,
                locations: source_location(display_path(&skipped.path, &options.cwd), region),
                message: Text::owned(format!("{} ({outcome})", skipped.reason)),
            }
        })
        .collect();
    notifications.extend(report.warnings.iter().map(|warning| Notification {
        level: "warning",
        locations: source_location(
            display_path(&warning.path, &options.cwd),
            Some(Region {
                start_line: Some(warning.line),
                ..Region::default()
            }),
        ),
        message: Text::borrowed(&warning.message),
    }));
    Log::new(Run {
        column_kind: Some("utf16CodeUnits"),
        invocations: Some([Invocation {
            execution_successful: true,
            tool_execution_notifications: notifications,
        }]),
        properties: None,
        results,
        tool: Tool {
            driver: Driver::new(rules),
        },
    })
}
