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
    pub fn apply(&self, text: &str) -> Option<String> {
        Fix::safe(String::new(), self.edits.clone()).apply(text)
    }
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
    fn insertions_at_the_edge_of_a_replacement_conflict() {
        assert!(disjoint(range(3, 3), range(3, 3)));
        assert!(!disjoint(range(3, 3), range(3, 5)));
        assert!(!disjoint(range(5, 5), range(3, 5)));
        assert!(disjoint(range(2, 2), range(3, 5)));
        assert!(disjoint(range(3, 5), range(5, 7)));
    }
}
