//! What a rule reports: a [`Diagnostic`] (rule, byte range, message, optional
//! [`Fix`]). The fix types themselves live in [`crate::edit`] (shared with
//! [`crate::deps`]) and are re-exported here.

use ruff_text_size::{Ranged, TextRange, TextSize};

pub use crate::edit::{Applicability, Dependency, Edit, FileEdits, Fix};

use super::codes::{Rule, Severity};

/// One finding of one rule in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule that fired.
    pub rule: Rule,
    /// The most specific node carrying the problem (RULES.md "where a finding points").
    pub range: TextRange,
    /// What is wrong and what to do, concretely; never contains a secret.
    pub message: String,
    /// The remediation, if the rule has one for this finding.
    pub fix: Option<Fix>,
    /// Usually the rule's severity; some findings are graded differently (FH103).
    pub severity: Severity,
    /// Start of the statement that contains the finding (set by the checker), used
    /// for suppression comments on the line that opens a multi-line statement.
    pub parent: Option<TextSize>,
}

impl Diagnostic {
    /// A finding with the rule's default severity and no fix.
    pub fn new(rule: Rule, range: TextRange, message: impl Into<String>) -> Self {
        Self {
            rule,
            range,
            message: message.into(),
            fix: None,
            severity: rule.severity(),
            parent: None,
        }
    }

    /// Attaches a fix.
    #[must_use]
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Overrides the severity.
    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

impl Ranged for Diagnostic {
    fn range(&self) -> TextRange {
        self.range
    }
}
