//! What a rule reports: a [`Diagnostic`] (rule, byte range, message, optional
//! [`Fix`]) and the fix's [`Edit`]s, which are byte-range replacements on the
//! original text of the file the diagnostic belongs to (BOM included, nothing
//! re-encoded: CRLF, tabs and the BOM survive an edit).

use ruff_text_size::{Ranged, TextRange, TextSize};

use super::registry::{Rule, Severity};

/// Whether `fix` applies a fix by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Applicability {
    /// Keeps behaviour a user may rely on: applied by default.
    Safe,
    /// May change behaviour: proposed only with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    /// `"safe"` or `"unsafe"`, as in the JSON contract.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Safe => "safe",
            Self::Unsafe => "unsafe",
        }
    }
}

/// Replace `range` of the original text with `content` (empty range: insert;
/// empty content: delete).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    /// The byte range replaced.
    pub range: TextRange,
    /// The replacement text.
    pub content: String,
}

impl Edit {
    /// Replaces `range` with `content`.
    pub fn replacement(content: impl Into<String>, range: TextRange) -> Self {
        Self {
            range,
            content: content.into(),
        }
    }

    /// Inserts `content` at `at`.
    pub fn insertion(content: impl Into<String>, at: TextSize) -> Self {
        Self::replacement(content, TextRange::empty(at))
    }

    /// Deletes `range`.
    pub fn deletion(range: TextRange) -> Self {
        Self::replacement(String::new(), range)
    }
}

impl Ranged for Edit {
    fn range(&self) -> TextRange {
        self.range
    }
}

/// Edits of one remediation in a file other than the finding's (the
/// extensions module of an FH202/FH203 fix), on that file's analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdits {
    /// The file, as discovery names it.
    pub path: std::path::PathBuf,
    /// Sorted, non-overlapping edits.
    pub edits: Vec<Edit>,
    /// Secret literals of that file (masked in diffs).
    pub secrets: Vec<TextRange>,
}

/// A remediation: what it does, how safe it is, and its edits (possibly none yet:
/// then `fix` must compute the edits itself; the message still tells the user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// Safe or unsafe.
    pub applicability: Applicability,
    /// One line saying what the fix does, e.g. "Read DEBUG from FLASK_DEBUG, off by default".
    pub message: String,
    /// Sorted, non-overlapping edits on the file's original text.
    pub edits: Vec<Edit>,
    /// Edits in other files that belong to the same remediation: `fix` applies
    /// all of them or none.
    pub other_files: Vec<FileEdits>,
    /// A configuration key this remediation reads from the environment without
    /// failing at import (`os.environ.get("SECRET_KEY")`): the engine adds the
    /// start-up check of that key where the project's application is created.
    pub startup_check: Option<String>,
}

impl Fix {
    /// A safe fix with the given edits (sorted here).
    pub fn safe(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(Applicability::Safe, message, edits)
    }

    /// An unsafe fix with the given edits (sorted here).
    pub fn unsafe_(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(Applicability::Unsafe, message, edits)
    }

    /// A fix with the given applicability (edits sorted here).
    pub fn new(
        applicability: Applicability,
        message: impl Into<String>,
        mut edits: Vec<Edit>,
    ) -> Self {
        edits.sort_by_key(|e| (e.range.start(), e.range.end()));
        Self {
            applicability,
            message: message.into(),
            edits,
            other_files: Vec::new(),
            startup_check: None,
        }
    }

    /// Asks for the start-up check of `key` at the application (see
    /// [`Fix::startup_check`]).
    #[must_use]
    pub fn with_startup_check(mut self, key: &str) -> Self {
        self.startup_check = Some(key.to_owned());
        self
    }

    /// Adds edits in this file (kept sorted).
    pub fn extend_edits(&mut self, edits: impl IntoIterator<Item = Edit>) {
        self.edits.extend(edits);
        self.edits.sort_by_key(|e| (e.range.start(), e.range.end()));
    }

    /// Adds edits in another file to this remediation.
    #[must_use]
    pub fn with_other_file(
        mut self,
        path: std::path::PathBuf,
        mut edits: Vec<Edit>,
        secrets: Vec<TextRange>,
    ) -> Self {
        if !edits.is_empty() {
            edits.sort_by_key(|e| (e.range.start(), e.range.end()));
            self.other_files.push(FileEdits {
                path,
                edits,
                secrets,
            });
        }
        self
    }

    /// Applies the edits to `text`; `None` when edits overlap or fall outside it.
    pub fn apply(&self, text: &str) -> Option<String> {
        let mut out = String::with_capacity(text.len());
        let mut last = TextSize::default();
        for edit in &self.edits {
            if edit.range.start() < last || edit.range.end().to_usize() > text.len() {
                return None;
            }
            out.push_str(text.get(TextRange::new(last, edit.range.start()).to_std_range())?);
            out.push_str(&edit.content);
            last = edit.range.end();
        }
        out.push_str(text.get(last.to_usize()..)?);
        Some(out)
    }
}

trait ToStd {
    fn to_std_range(self) -> std::ops::Range<usize>;
}

impl ToStd for TextRange {
    fn to_std_range(self) -> std::ops::Range<usize> {
        self.start().to_usize()..self.end().to_usize()
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_splices_sorted_edits_and_refuses_overlaps() {
        let text = "app.run(debug=True)\r\n";
        let fix = Fix::safe(
            "x",
            vec![
                Edit::replacement("False", TextRange::new(14.into(), 18.into())),
                Edit::insertion("# ", 0.into()),
            ],
        );
        assert_eq!(fix.apply(text).unwrap(), "# app.run(debug=False)\r\n");
        let overlapping = Fix::safe(
            "x",
            vec![
                Edit::deletion(TextRange::new(0.into(), 5.into())),
                Edit::deletion(TextRange::new(3.into(), 6.into())),
            ],
        );
        assert_eq!(overlapping.apply(text), None);
    }
}
