//! The layout-aware helpers that build [`Edit`]s of dependency files: append
//! to or remove from a TOML array, add or remove a line.
//!
//! Every helper returns edits on the original text; [`apply_edits`] applies
//! them. Bytes outside the edited ranges are never rewritten, so comments,
//! quoting, indentation and CRLF line endings survive untouched.

use std::ops::Range;

use crate::edit::Edit;

/// Edits that cannot be applied together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("edits overlap at byte {0}")]
    Overlap(usize),
    #[error("edit range {0:?} is outside the text or not on a character boundary")]
    OutOfBounds(Range<usize>),
}

/// Applies non-overlapping edits (in any order) to `text`.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Result<String, EditError> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out = String::with_capacity(text.len() + 64);
    let mut cursor = 0;
    for edit in sorted {
        let Range { start, end } = edit.byte_range();
        if start > end
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            return Err(EditError::OutOfBounds(edit.byte_range()));
        }
        if start < cursor {
            return Err(EditError::Overlap(start));
        }
        out.push_str(&text[cursor..start]);
        out.push_str(&edit.content);
        cursor = end;
    }
    out.push_str(&text[cursor..]);
    Ok(out)
}

/// The offset where the line holding `pos` starts.
pub fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset just after the line ending of the line holding `pos` (or the end of the text).
pub fn line_end_inclusive(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1)
}

/// Inserts `line` as a new line after the line that holds `pos`.
pub fn insert_line_after(text: &str, pos: usize, line: &str, eol: &str) -> Edit {
    let at = line_end_inclusive(text, pos);
    if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
        Edit::insert_bytes(at, format!("{eol}{line}{eol}"))
    } else {
        Edit::insert_bytes(at, format!("{line}{eol}"))
    }
}

/// Appends a block of lines at the end of the text, separated from what is
/// there by one blank line.
pub fn append_block(text: &str, lines: &[String], eol: &str) -> Edit {
    let mut block = String::new();
    if !text.is_empty() {
        if !text.ends_with('\n') {
            block.push_str(eol);
        }
        let trimmed = text.trim_end_matches(['\r', '\n']);
        let has_blank_line = text.len() - trimmed.len() >= 2 * eol.len();
        if !has_blank_line {
            block.push_str(eol);
        }
    }
    for line in lines {
        block.push_str(line);
        block.push_str(eol);
    }
    Edit::insert_bytes(text.len(), block)
}

fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c == ' ' || c == '\t')
}

/// Edits that append `item` (already a TOML literal) to the array spanning
/// `array` (`[` to `]`) whose elements span `elements`, following its layout:
/// one item per line with the same indentation and trailing-comma style, or
/// inline.
pub fn array_append(
    text: &str,
    array: Range<usize>,
    elements: &[Range<usize>],
    item: &str,
    eol: &str,
) -> Vec<Edit> {
    let open = array.start;
    let close = array.end - 1;
    let Some(last) = elements.last() else {
        if is_blank(&text[open + 1..close].replace(['\r', '\n'], "")) {
            return vec![Edit::replace_bytes(array, format!("[{item}]"))];
        }
        return vec![Edit::insert_bytes(open + 1, format!("{item}, "))];
    };
    let first = &elements[0];
    let multi_line = text[open..first.start].contains('\n');
    if !multi_line {
        return vec![Edit::insert_bytes(last.end, format!(", {item}"))];
    }
    let indent = {
        let start = line_start(text, last.start);
        let before = &text[start..last.start];
        if is_blank(before) {
            before.to_string()
        } else {
            "    ".to_string()
        }
    };
    let after = &text[last.end..close];
    let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
    let comma = after[spaces..]
        .starts_with(',')
        .then_some(last.end + spaces);
    let anchor = comma.map_or(last.end, |c| c + 1);
    let newline_before_close = text[anchor..close].contains('\n');
    match (comma, newline_before_close) {
        (Some(_), true) => {
            let at = line_end_inclusive(text, anchor);
            vec![Edit::insert_bytes(at, format!("{indent}{item},{eol}"))]
        }
        (None, true) => {
            let at = line_end_inclusive(text, anchor);
            vec![
                Edit::insert_bytes(last.end, ","),
                Edit::insert_bytes(at, format!("{indent}{item}{eol}")),
            ]
        }
        (Some(c), false) => vec![Edit::insert_bytes(c + 1, format!("{eol}{indent}{item},"))],
        (None, false) => vec![Edit::insert_bytes(
            last.end,
            format!(",{eol}{indent}{item}"),
        )],
    }
}

/// The edit that removes element `index` from the array spanning `array`: its
/// whole line when it stands alone on a line, else the element and one separator.
pub fn array_remove(
    text: &str,
    array: Range<usize>,
    elements: &[Range<usize>],
    index: usize,
) -> Edit {
    let element = elements[index].clone();
    let start = line_start(text, element.start);
    let end = line_end_inclusive(text, element.end);
    let alone_before = start > array.start && is_blank(&text[start..element.start]);
    let rest = text[element.end..end].trim_end_matches(['\r', '\n']);
    let rest = rest.trim_start_matches([' ', '\t']);
    let rest = rest
        .strip_prefix(',')
        .unwrap_or(rest)
        .trim_start_matches([' ', '\t']);
    let alone_after = end < array.end && (rest.is_empty() || rest.starts_with('#'));
    if alone_before && alone_after {
        return Edit::delete_bytes(start..end);
    }
    if index + 1 < elements.len() {
        return Edit::delete_bytes(element.start..elements[index + 1].start);
    }
    if index > 0 {
        return Edit::delete_bytes(elements[index - 1].end..element.end);
    }
    // The only element: drop it and its trailing comma.
    let after = &text[element.end..array.end - 1];
    let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
    let end = if after[spaces..].starts_with(',') {
        element.end + spaces + 1
    } else {
        element.end
    };
    Edit::delete_bytes(element.start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finds `[`..`]` and the `"..."` element spans of the first array in `text`.
    fn spans(text: &str) -> (Range<usize>, Vec<Range<usize>>) {
        let open = text.find('[').unwrap();
        let close = text.rfind(']').unwrap();
        let mut elements = Vec::new();
        let mut i = open;
        while let Some(q) = text[i..close].find('"') {
            let s = i + q;
            let e = s + 1 + text[s + 1..].find('"').unwrap() + 1;
            elements.push(s..e);
            i = e;
        }
        (open..close + 1, elements)
    }

    fn append(text: &str, eol: &str) -> String {
        let (array, elements) = spans(text);
        apply_edits(text, &array_append(text, array, &elements, "\"new\"", eol)).unwrap()
    }

    fn remove(text: &str, index: usize) -> String {
        let (array, elements) = spans(text);
        apply_edits(text, &[array_remove(text, array, &elements, index)]).unwrap()
    }

    #[test]
    fn apply_edits_sorts_and_rejects_overlaps() {
        let edits = [Edit::insert_bytes(5, "!"), Edit::replace_bytes(0..1, "J")];
        assert_eq!(apply_edits("hello", &edits).unwrap(), "Jello!");
        let overlapping = [Edit::delete_bytes(0..3), Edit::delete_bytes(2..4)];
        assert_eq!(
            apply_edits("hello", &overlapping),
            Err(EditError::Overlap(2))
        );
        assert!(matches!(
            apply_edits("hé", &[Edit::delete_bytes(2..3)]),
            Err(EditError::OutOfBounds(_))
        ));
    }

    #[test]
    fn append_to_multi_line_arrays() {
        assert_eq!(
            append("x = [\n    \"a\",  # c\n    \"b\",\n]\n", "\n"),
            "x = [\n    \"a\",  # c\n    \"b\",\n    \"new\",\n]\n"
        );
        assert_eq!(
            append("x = [\r\n\t\"a\",\r\n\t\"b\"  # last\r\n]\r\n", "\r\n"),
            "x = [\r\n\t\"a\",\r\n\t\"b\",  # last\r\n\t\"new\"\r\n]\r\n"
        );
        assert_eq!(
            append("x = [\n  \"a\",\n  \"b\"]\n", "\n"),
            "x = [\n  \"a\",\n  \"b\",\n  \"new\"]\n"
        );
        assert_eq!(
            append("x = [\n  \"a\",\n  \"b\",]\n", "\n"),
            "x = [\n  \"a\",\n  \"b\",\n  \"new\",]\n"
        );
    }

    #[test]
    fn append_to_inline_and_empty_arrays() {
        assert_eq!(
            append("x = [\"a\", \"b\"]\n", "\n"),
            "x = [\"a\", \"b\", \"new\"]\n"
        );
        assert_eq!(append("x = []\n", "\n"), "x = [\"new\"]\n");
        assert_eq!(append("x = [\n]\n", "\n"), "x = [\"new\"]\n");
        assert_eq!(append("x = [ # c\n]\n", "\n"), "x = [\"new\",  # c\n]\n");
    }

    #[test]
    fn remove_elements() {
        let text = "x = [\n    \"a\",\n    \"b\",  # why\n    \"c\",\n]\n";
        assert_eq!(remove(text, 1), "x = [\n    \"a\",\n    \"c\",\n]\n");
        assert_eq!(
            remove("x = [\n  \"a\",\n  \"b\"\n]\n", 1),
            "x = [\n  \"a\",\n]\n"
        );
        assert_eq!(remove("x = [\"a\", \"b\", \"c\"]", 1), "x = [\"a\", \"c\"]");
        assert_eq!(remove("x = [\"a\", \"b\"]", 1), "x = [\"a\"]");
        assert_eq!(remove("x = [\"a\", ]", 0), "x = [ ]");
        assert_eq!(remove("x = [\"a\"]", 0), "x = []");
        assert_eq!(remove("x = [\"a\",\n  \"b\"]", 0), "x = [\"b\"]");
    }

    #[test]
    fn lines_and_blocks() {
        let text = "a = 1\r\nb = 2";
        assert_eq!(
            apply_edits(text, &[insert_line_after(text, 0, "c = 3", "\r\n")]).unwrap(),
            "a = 1\r\nc = 3\r\nb = 2"
        );
        assert_eq!(
            apply_edits(text, &[insert_line_after(text, 9, "c = 3", "\r\n")]).unwrap(),
            "a = 1\r\nb = 2\r\nc = 3\r\n"
        );
        let block = ["[t]".to_string(), "k = 1".to_string()];
        assert_eq!(
            apply_edits("a = 1\n", &[append_block("a = 1\n", &block, "\n")]).unwrap(),
            "a = 1\n\n[t]\nk = 1\n"
        );
        assert_eq!(
            apply_edits("a = 1", &[append_block("a = 1", &block, "\n")]).unwrap(),
            "a = 1\n\n[t]\nk = 1\n"
        );
        assert_eq!(
            apply_edits("a = 1\n\n", &[append_block("a = 1\n\n", &block, "\n")]).unwrap(),
            "a = 1\n\n[t]\nk = 1\n"
        );
        assert_eq!(
            apply_edits("", &[append_block("", &block, "\n")]).unwrap(),
            "[t]\nk = 1\n"
        );
    }
}
