//! Splicing several fixes into one text, as Ruff does: fixes are taken in order
//! of their first edit, an edit identical to one already taken is shared (two
//! fixes that both add `import os` add it once), insertions at one point go in
//! in the order taken, and a fix that overlaps an edit already taken is left
//! for the next pass.

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
        Fix::safe(String::new(), merge_import_insertions(&self.edits)).apply(text)
    }
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
                let eol = if previous.content.ends_with("\r\n") {
                    "\r\n"
                } else {
                    "\n"
                };
                // A blank line that opens a new section is kept once.
                let gap = if leading_gap(&previous.content) || leading_gap(&edit.content) {
                    eol
                } else {
                    ""
                };
                let mut lines = import_lines(&previous.content).unwrap_or_default();
                lines.extend(import_lines(&edit.content).unwrap_or_default());
                lines.sort_by_key(|line| sort_key(line));
                lines.dedup();
                previous.content = format!(
                    "{gap}{}",
                    lines
                        .iter()
                        .map(|l| format!("{l}{eol}"))
                        .collect::<String>()
                );
            }
            None => out.push(edit.clone()),
        }
    }
    out
}

/// Whether `content` starts with a blank line (a new import section).
fn leading_gap(content: &str) -> bool {
    content.starts_with('\n') || content.starts_with("\r\n")
}

/// The lines of `content` when every one is an import statement (after an
/// optional leading blank line) and it ends with a line break.
fn import_lines(content: &str) -> Option<Vec<String>> {
    let content = content
        .strip_prefix("\r\n")
        .or_else(|| content.strip_prefix('\n'))
        .unwrap_or(content);
    let body = content.strip_suffix('\n')?;
    let body = body.strip_suffix('\r').unwrap_or(body);
    body.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .map(|line| {
            (line.starts_with("import ") || line.starts_with("from ")).then(|| line.to_owned())
        })
        .collect()
}

/// isort order within one section: `import x` before `from x import`, then
/// the module name.
fn sort_key(line: &str) -> (bool, String) {
    let from = line.starts_with("from ");
    let module = line
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_ascii_lowercase();
    (from, module)
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
    fn insertions_at_the_edge_of_a_replacement_conflict() {
        assert!(disjoint(range(3, 3), range(3, 3)));
        assert!(!disjoint(range(3, 3), range(3, 5)));
        assert!(!disjoint(range(5, 5), range(3, 5)));
        assert!(disjoint(range(2, 2), range(3, 5)));
        assert!(disjoint(range(3, 5), range(5, 7)));
    }
}
