//! The unified diff of one remediation (the `similar` crate, three lines of
//! context), with every secret literal of the file shown as `"***"` on both
//! sides so that the old value of a hardcoded secret is never printed.

use similar::TextDiff;

use crate::analysis::{Edit, Fix, TextRange};

/// The shown stand-in for a secret literal (as `check` masks it).
pub const SECRET_MASK: &str = "\"***\"";

/// A unified diff of `old` -> `new` with `a/` and `b/` headers named `path`;
/// empty when the texts are equal.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let diff = TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    shown_diff(&diff)
}

/// The longest diff line printed whole.
const MAX_DIFF_LINE: usize = 1_000;

/// Control characters escaped, and very long lines (minified or generated
/// code) cut, so a diff never floods the terminal: the cut says how much.
fn shown_diff(diff: &str) -> String {
    let mut out = String::with_capacity(diff.len().min(1 << 20));
    for line in diff.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix("\r\n") {
            Some(body) => (body, "\r\n"),
            None => match line.strip_suffix('\n') {
                Some(body) => (body, "\n"),
                None => (line, ""),
            },
        };
        if body.len() > MAX_DIFF_LINE {
            let mut cut = MAX_DIFF_LINE;
            while !body.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push_str(&crate::output::escape_control(&body[..cut]));
            out.push_str(&format!(
                " … [{} more bytes of this line not shown]",
                body.len() - cut
            ));
        } else {
            out.push_str(&crate::output::escape_control(body));
        }
        out.push_str(end);
    }
    out
}

/// The diff of `fix` applied alone to `text`, secrets masked. `None` when the
/// fix does not apply or cuts through a secret literal without replacing it
/// whole (its diff cannot be shown without the secret).
pub fn fix_diff(path: &str, text: &str, fix: &Fix, secrets: &[TextRange]) -> Option<String> {
    // The same literal can be marked by several rules: merge overlaps.
    let mut ranges: Vec<TextRange> = secrets.to_vec();
    ranges.sort_by_key(|r| (r.start(), r.end()));
    let mut merged: Vec<TextRange> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start() < last.end() => *last = last.cover(range),
            _ => merged.push(range),
        }
    }
    let masks: Vec<Edit> = merged
        .into_iter()
        .map(|range| Edit::replacement(SECRET_MASK, range))
        .collect();
    let old = Fix::safe(String::new(), masks.clone()).apply(text)?;
    let mut edits = fix.edits.clone();
    for mask in masks {
        let touched: Vec<&Edit> = fix
            .edits
            .iter()
            .filter(|e| touches(e.range, mask.range))
            .collect();
        if touched.is_empty() {
            edits.push(mask);
        } else if !touched.iter().any(|e| e.range.contains_range(mask.range)) {
            return None;
        }
    }
    let new = Fix::safe(String::new(), edits).apply(text)?;
    Some(unified(path, &old, &new))
}

/// Whether an edit at `edit` changes text inside `secret`.
fn touches(edit: TextRange, secret: TextRange) -> bool {
    if edit.is_empty() {
        return secret.start() < edit.start() && edit.start() < secret.end();
    }
    edit.start() < secret.end() && secret.start() < edit.end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::TextSize;

    #[test]
    fn secrets_are_masked_on_both_sides() {
        let text = "import os\napp.secret_key = 'hunter2-long-value'\nx = 1\n";
        let start = text.find('\'').unwrap();
        let end = text.rfind('\'').unwrap() + 1;
        let secret = TextRange::new(
            TextSize::try_from(start).unwrap(),
            TextSize::try_from(end).unwrap(),
        );
        let replace = Fix::safe(
            "env",
            vec![Edit::replacement("os.environ[\"SECRET_KEY\"]", secret)],
        );
        let diff = fix_diff("app.py", text, &replace, &[secret]).unwrap();
        assert!(!diff.contains("hunter2"), "{diff}");
        assert!(diff.contains("-app.secret_key = \"***\""), "{diff}");
        assert!(
            diff.contains("+app.secret_key = os.environ[\"SECRET_KEY\"]"),
            "{diff}"
        );
        let other = Fix::safe(
            "x",
            vec![Edit::replacement(
                "2",
                TextRange::at(
                    TextSize::try_from(text.len() - 2).unwrap(),
                    TextSize::from(1),
                ),
            )],
        );
        let diff = fix_diff("app.py", text, &other, &[secret]).unwrap();
        assert!(!diff.contains("hunter2"), "{diff}");
        assert!(diff.contains("+x = 2"), "{diff}");
    }
}
