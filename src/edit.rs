//! Fixes as values: an [`Edit`] is a byte-range replacement on the original
//! text of a file (BOM included, nothing re-encoded: CRLF, tabs and the BOM
//! survive an edit); a [`Fix`] is one remediation, its edits (in the finding's
//! file and in [`FileEdits`] of others) and its typed side effects: the
//! environment variables its code reads, the packages it needs
//! ([`Dependency`]), a package it moves to the development requirements, and
//! FH102's start-up check. The rules build them, [`crate::deps`] builds edits
//! of dependency files, and `remediate` carries them out. This module depends
//! on nothing else in the crate.

use std::ops::Range;

use ruff_text_size::{Ranged, TextRange, TextSize};

/// A package the code of a fix imports: `package` with the version `spec`
/// (`flask-talisman` `>=1.1.0`), added to the project's dependency files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Dependency {
    /// The distribution name, as written in a requirements file.
    pub package: &'static str,
    /// The version specifier (`>=1.1.0`).
    pub spec: &'static str,
}

impl Dependency {
    /// The requirement line: `flask-talisman>=1.1.0`.
    pub fn requirement(&self) -> String {
        format!("{}{}", self.package, self.spec)
    }
}

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

    /// Replaces the byte range `range` (for code that counts in `usize`
    /// offsets, such as the dependency-file editors).
    pub fn replace_bytes(range: Range<usize>, content: impl Into<String>) -> Self {
        Self::replacement(content, text_range(&range))
    }

    /// Inserts `content` at byte offset `at`.
    pub fn insert_bytes(at: usize, content: impl Into<String>) -> Self {
        Self::replace_bytes(at..at, content)
    }

    /// Deletes the byte range `range`.
    pub fn delete_bytes(range: Range<usize>) -> Self {
        Self::replace_bytes(range, String::new())
    }

    /// The replaced range as byte offsets.
    pub fn byte_range(&self) -> Range<usize> {
        self.range.to_std_range()
    }
}

/// A byte range as a [`TextRange`] (offsets past `u32::MAX` are clamped).
pub fn text_range(range: &Range<usize>) -> TextRange {
    let clamp = |n: usize| TextSize::from(u32::try_from(n).unwrap_or(u32::MAX));
    TextRange::new(clamp(range.start), clamp(range.end))
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

/// A remediation: what it does, how safe it is, its edits, and what else it
/// calls for. Its edits may be empty: a rule with no edit for this finding
/// (the message still tells the user), or one whose work is a side effect
/// ([`Fix::moves_to_development`]).
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
    /// Environment variables the fixed code reads (listed for whoever deploys
    /// the app; FH102's go to `.env.example`).
    pub env_vars: Vec<String>,
    /// Packages the fixed code imports: added to the project's dependencies,
    /// and the fix is withheld when one cannot be.
    pub dependencies: Vec<Dependency>,
    /// A package this remediation moves from the production requirements
    /// file to the development one (FH107 in `requirements*.txt`): done by
    /// rewriting both files, the fix itself has no edits.
    pub moves_to_development: Option<&'static str>,
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
            env_vars: Vec::new(),
            dependencies: Vec::new(),
            moves_to_development: None,
        }
    }

    /// Asks for the start-up check of `key` at the application (see
    /// [`Fix::startup_check`]).
    #[must_use]
    pub fn with_startup_check(mut self, key: &str) -> Self {
        self.startup_check = Some(key.to_owned());
        self
    }

    /// Records that the fixed code reads environment variable `name`.
    #[must_use]
    pub fn reading_env(mut self, name: &str) -> Self {
        if !self.env_vars.iter().any(|n| n == name) {
            self.env_vars.push(name.to_owned());
        }
        self
    }

    /// Records that the fixed code imports `dependency`.
    #[must_use]
    pub fn needing(mut self, dependency: Dependency) -> Self {
        if !self.dependencies.contains(&dependency) {
            self.dependencies.push(dependency);
        }
        self
    }

    /// Records that the remediation moves `package` to the development
    /// requirements (see [`Fix::moves_to_development`]).
    #[must_use]
    pub fn moving_to_development(mut self, package: &'static str) -> Self {
        self.moves_to_development = Some(package);
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
