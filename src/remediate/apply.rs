//! Splicing several fixes into one text, as Ruff does: fixes are taken in order
//! of their first edit, an edit identical to one already taken is shared (two
//! fixes that both add `import os` add it once), insertions at one point go in
//! in the order taken, and a fix that overlaps an edit already taken is left
//! for the next pass.

use crate::analysis::imports::StatementKey;
use crate::analysis::{Edit, Fix, TextRange};

/// The edits accepted so far in one pass over one text.
#[derive(Debug, Default)]
pub struct EditSet {
    edits: Vec<Edit>,
}

impl EditSet {
    /// Whether nothing was accepted.
    pub fn is_empty(&self) -> bool {
        self.edits.is_empty()
    }

    /// Whether `fix` can join the set: each of its edits is either already in
    /// the set or touches no edit of it. An insertion at the edge of a
    /// replacement counts as overlapping; two insertions at one offset do not.
    pub fn can_take(&self, fix: &Fix) -> bool {
        fix.edits.iter().all(|edit| {
            self.edits.contains(edit)
                || self
                    .edits
                    .iter()
                    .all(|taken| disjoint(taken.range, edit.range))
        })
    }

    /// Adds the edits of `fix` that are not in the set yet (call after
    /// [`can_take`](Self::can_take)).
    pub fn take(&mut self, fix: &Fix) {
        for edit in &fix.edits {
            if !self.edits.contains(edit) {
                self.edits.push(edit.clone());
            }
        }
    }

    /// Applies every accepted edit to `text`; `None` if an edit falls outside it.
    /// Import statements that several fixes insert at one point are merged into
    /// one sorted run of lines.
    pub fn apply(&self, text: &str) -> Option<String> {
        // Names that several fixes add to one `from x import ...` stay sorted.
        let mut edits = self.edits.clone();
        edits.sort_by(|a, b| {
            (a.range.start(), a.range.end())
                .cmp(&(b.range.start(), b.range.end()))
                .then_with(|| match (imported_name(a), imported_name(b)) {
                    (Some(x), Some(y)) => x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase()),
                    _ => std::cmp::Ordering::Equal,
                })
        });
        Fix::safe(String::new(), merge_import_insertions(&edits)).apply(text)
    }
}

/// The name an insertion adds to an import list (`, name`, `name, `, or
/// the same across lines), if that is all it does.
fn imported_name(edit: &Edit) -> Option<&str> {
    if !edit.range.is_empty() {
        return None;
    }
    let name = edit
        .content
        .trim_matches(|c: char| c == ',' || c.is_whitespace());
    (!name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ' '))
    .then_some(name)
}

/// Merges insertions at one offset that each consist only of whole import
/// statement lines (`import x` / `from x import y`, each ending with a line
/// break) into one insertion with the lines sorted as isort would.
fn merge_import_insertions(edits: &[Edit]) -> Vec<Edit> {
    let mut out: Vec<Edit> = Vec::with_capacity(edits.len());
    for edit in edits {
        let merged = out.iter_mut().find(|e| {
            e.range.is_empty()
                && edit.range.is_empty()
                && e.range.start() == edit.range.start()
                && import_lines(&e.content).is_some()
                && import_lines(&edit.content).is_some()
        });
        match merged {
            Some(previous) => {
                let eol = if previous.content.contains("\r\n") {
                    "\r\n"
                } else {
                    "\n"
                };
                // Blank lines around the run (a section of its own) are kept once.
                let (before, mut lines, after) = split_gaps(&previous.content);
                let (before2, more, after2) = split_gaps(&edit.content);
                lines.extend(more);
                let lines = join_same_module(lines);
                let gap = |yes: bool| if yes { eol } else { "" };
                previous.content = format!(
                    "{}{}{}",
                    gap(before || before2),
                    lines
                        .iter()
                        .map(|l| format!("{l}{eol}"))
                        .collect::<String>(),
                    gap(after || after2)
                );
            }
            None => out.push(edit.clone()),
        }
    }
    out
}

/// Splits an insertion made of import lines into (a blank line before, the
/// lines, a blank line after).
fn split_gaps(content: &str) -> (bool, Vec<String>, bool) {
    let lines: Vec<&str> = content
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect();
    let before = lines.first().is_some_and(|l| l.is_empty());
    // The text ends with a line break: the last piece is empty; one more empty
    // piece before it is a trailing blank line.
    let after = lines.len() >= 3 && lines[lines.len() - 2].is_empty();
    let body = lines
        .into_iter()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    (before, body, after)
}

/// The lines of `content` when every one is an import statement (blank lines
/// only around them) and it ends with a line break.
fn import_lines(content: &str) -> Option<Vec<String>> {
    if !content.ends_with('\n') || content.trim().is_empty() {
        return None;
    }
    let (_, lines, _) = split_gaps(content);
    let inner_blank = content.trim().contains("\n\n") || content.trim().contains("\r\n\r\n");
    (!inner_blank
        && lines
            .iter()
            .all(|l| l.starts_with("import ") || l.starts_with("from ")))
    .then_some(lines)
}

/// Sorted lines, with `from m import a` and `from m import b` joined into
/// `from m import a, b` (names without parentheses only).
fn join_same_module(mut lines: Vec<String>) -> Vec<String> {
    lines.sort_by_key(|line| StatementKey::of_line(line));
    lines.dedup();
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        let parts = line
            .strip_prefix("from ")
            .and_then(|rest| rest.split_once(" import "))
            .filter(|(_, names)| !names.contains('('));
        let joined = parts.and_then(|(module, names)| {
            let previous = out.last_mut()?;
            let (prev_module, prev_names) =
                previous.strip_prefix("from ")?.split_once(" import ")?;
            if prev_module != module || prev_names.contains('(') {
                return None;
            }
            let mut all: Vec<&str> = prev_names.split(", ").chain(names.split(", ")).collect();
            all.sort_by_key(|n| crate::analysis::imports::name_sort_key(n));
            all.dedup();
            Some(format!("from {module} import {}", all.join(", ")))
        });
        match joined {
            Some(line) => *out.last_mut().expect("joined to it") = line,
            None => out.push(line),
        }
    }
    out
}

/// Whether two edit ranges can be applied together in either order.
fn disjoint(a: TextRange, b: TextRange) -> bool {
    if a.is_empty() && b.is_empty() {
        // Two insertions at one point: both go in, in the order taken (each
        // inserts whole lines or a whole `, name`, so either order is valid).
        return true;
    }
    if a.is_empty() || b.is_empty() {
        // An insertion must be strictly outside the other range.
        let (point, other) = if a.is_empty() {
            (a.start(), b)
        } else {
            (b.start(), a)
        };
        return point < other.start() || point > other.end();
    }
    a.end() <= b.start() || b.end() <= a.start()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::TextSize;

    fn range(start: u32, end: u32) -> TextRange {
        TextRange::new(TextSize::from(start), TextSize::from(end))
    }

    #[test]
    fn shared_edits_are_applied_once_and_overlaps_wait() {
        let text = "a = 1\nb = 2\n";
        let import = Edit::insertion("import os\n", TextSize::from(0));
        let first = Fix::safe(
            "1",
            vec![import.clone(), Edit::replacement("x", range(4, 5))],
        );
        let second = Fix::safe("2", vec![import, Edit::replacement("y", range(10, 11))]);
        let overlapping = Fix::safe("3", vec![Edit::replacement("z", range(4, 5))]);
        let mut set = EditSet::default();
        assert!(set.can_take(&first));
        set.take(&first);
        assert!(set.can_take(&second));
        set.take(&second);
        assert!(!set.can_take(&overlapping));
        assert_eq!(set.apply(text).unwrap(), "import os\na = x\nb = y\n");
    }

    #[test]
    fn import_lines_inserted_at_one_point_are_sorted_together() {
        let text = "from flask import Flask\r\napp = 1\r\n";
        let at = TextSize::from(25);
        let talisman = Fix::safe(
            "t",
            vec![Edit::insertion(
                "from flask_talisman import Talisman\r\nfrom werkzeug.local import LocalProxy\r\n",
                at,
            )],
        );
        let limiter = Fix::safe(
            "l",
            vec![Edit::insertion("from flask_limiter import Limiter\r\n", at)],
        );
        let code = Fix::safe("c", vec![Edit::insertion("x = 2\r\n", at)]);
        let mut set = EditSet::default();
        for fix in [&talisman, &limiter, &code] {
            assert!(set.can_take(fix));
            set.take(fix);
        }
        assert_eq!(
            set.apply(text).unwrap(),
            "from flask import Flask\r\nfrom flask_limiter import Limiter\r\nfrom flask_talisman import Talisman\r\nfrom werkzeug.local import LocalProxy\r\nx = 2\r\napp = 1\r\n"
        );
    }

    #[test]
    fn a_new_section_opened_by_two_fixes_gets_one_blank_line() {
        let text = "import os\n\napp = 1\n";
        let at = TextSize::from(10);
        let mut set = EditSet::default();
        for content in [
            "\nfrom flask_talisman import Talisman\n",
            "\nfrom flask_limiter import Limiter\n",
        ] {
            let fix = Fix::safe("f", vec![Edit::insertion(content, at)]);
            assert!(set.can_take(&fix));
            set.take(&fix);
        }
        assert_eq!(
            set.apply(text).unwrap(),
            "import os\n\nfrom flask_limiter import Limiter\nfrom flask_talisman import Talisman\n\napp = 1\n"
        );
    }

    #[test]
    fn imports_before_a_new_section_are_joined_by_module() {
        let text = "from flask import Flask\n";
        let at = TextSize::from(0);
        let mut set = EditSet::default();
        for content in [
            "from typing import Optional\n\n",
            "from typing import Any\n\n",
            "import json\n\n",
        ] {
            let fix = Fix::safe("f", vec![Edit::insertion(content, at)]);
            assert!(set.can_take(&fix));
            set.take(&fix);
        }
        assert_eq!(
            set.apply(text).unwrap(),
            "import json\nfrom typing import Any, Optional\n\nfrom flask import Flask\n"
        );
    }

    #[test]
    fn insertions_at_the_edge_of_a_replacement_conflict() {
        assert!(disjoint(range(3, 3), range(3, 3)));
        assert!(!disjoint(range(3, 3), range(3, 5)));
        assert!(!disjoint(range(5, 5), range(3, 5)));
        assert!(disjoint(range(2, 2), range(3, 5)));
        assert!(disjoint(range(3, 5), range(5, 7)));
    }
}
