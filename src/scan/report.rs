//! The scan report: score, grade, test results and findings, each with the
//! `flask-harden fix` rule that remediates it and its OWASP API Security Top 10
//! (2023) category. Its serde form is the JSON output contract `{"url",
//! "score", "grade", "tests": [{"id", "pass", "modifier", "reason", "fix",
//! "owasp": {"id", "name"}}], "findings": [{"id", "severity", "message", "fix",
//! "owasp": {"id", "name"}}]}`; notes appear only in the text output.

use serde::Serialize;
use url::Url;

use super::contract::Surface;
use super::observatory::TestResult;
use super::owasp::{self, Owasp};
use super::probes::{Finding, ProbeSeverity};
use super::score::{self, Grade};

/// One Observatory test in the report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TestEntry {
    pub id: &'static str,
    pub pass: bool,
    pub modifier: i32,
    pub reason: String,
    pub fix: Option<&'static str>,
    /// Every Observatory test checks a header or cookie set-up:
    /// API8:2023 Security Misconfiguration.
    pub owasp: Owasp,
}

/// One Flask-specific finding in the report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FindingEntry {
    pub id: &'static str,
    pub severity: ProbeSeverity,
    pub message: String,
    pub fix: Option<&'static str>,
    pub owasp: Owasp,
}

/// The whole report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ScanReport {
    pub url: String,
    pub score: i32,
    #[serde(serialize_with = "serialize_grade")]
    pub grade: Grade,
    pub tests: Vec<TestEntry>,
    pub findings: Vec<FindingEntry>,
    /// The API contract's surface, when a contract was given or found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surface: Option<Surface>,
    /// Facts about the scan itself (requests sent, --insecure, truncation).
    #[serde(skip)]
    pub notes: Vec<String>,
}

fn serialize_grade<S: serde::Serializer>(grade: &Grade, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(grade.as_str())
}

impl ScanReport {
    /// Scores the results and assembles the report.
    pub fn new(url: &Url, tests: &[TestResult], findings: &[Finding], notes: Vec<String>) -> Self {
        let score = score::score(tests.iter().map(|t| t.outcome.modifier()));
        Self {
            url: url.to_string(),
            score,
            grade: Grade::from_score(score),
            tests: tests
                .iter()
                .map(|t| TestEntry {
                    id: t.id.as_str(),
                    pass: t.pass,
                    modifier: t.outcome.modifier(),
                    reason: t.reason(),
                    fix: t.fix_rule(),
                    owasp: owasp::API8,
                })
                .collect(),
            findings: findings
                .iter()
                .map(|f| FindingEntry {
                    id: f.id.as_str(),
                    severity: f.severity,
                    message: f.message.clone(),
                    fix: f.id.fix_rule(),
                    owasp: f.id.owasp(),
                })
                .collect(),
            surface: None,
            notes,
        }
    }

    /// Each fix rule with what it remediates, in first-mentioned order.
    pub fn advice(&self) -> Vec<(&'static str, Vec<&'static str>)> {
        let mut advice: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
        let items = self
            .findings
            .iter()
            .map(|f| (f.fix, f.id))
            .chain(self.tests.iter().map(|t| (t.fix, t.id)));
        for (fix, what) in items {
            let Some(code) = fix else { continue };
            match advice.iter_mut().find(|(c, _)| *c == code) {
                Some((_, list)) => list.push(what),
                None => advice.push((code, vec![what])),
            }
        }
        advice
    }
}
