//! Byte offsets of the analysis <-> LSP positions (line, UTF-16 column).
//!
//! LSP lines end at `\n`, `\r\n` or `\r`; columns count UTF-16 code units
//! (the protocol's default encoding, which every client supports). A byte
//! order mark at the start is not counted, as editors hide it.

use lsp_types::{Position, Range};
use ruff_text_size::{TextRange, TextSize};

/// The line starts of one text, for converting offsets both ways.
#[derive(Debug, Clone)]
pub struct LineMap<'t> {
    text: &'t str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'t> LineMap<'t> {
    /// Indexes `text`.
    pub fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(i + 1);
                }
                _ => {}
            }
            i += 1;
        }
        Self { text, starts }
    }

    /// The position of a byte offset (clamped to the text).
    pub fn position(&self, offset: TextSize) -> Position {
        let offset = offset.to_usize().min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let mut start = self.starts[line];
        if line == 0 && self.text.starts_with('\u{feff}') {
            start = start.max(3).min(offset.max(3));
        }
        let prefix = self.text.get(start..offset).unwrap_or_default();
        let character = prefix.encode_utf16().count();
        Position::new(line as u32, character as u32)
    }

    /// The LSP range of a byte range.
    pub fn range(&self, range: TextRange) -> Range {
        Range::new(self.position(range.start()), self.position(range.end()))
    }

    /// The byte offset of a position (clamped to its line and to the text).
    pub fn offset(&self, position: Position) -> TextSize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return TextSize::of(self.text);
        };
        let start = if line == 0 && self.text.starts_with('\u{feff}') {
            3
        } else {
            start
        };
        let end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let content = self.text[start..end].trim_end_matches(['\n', '\r']);
        let mut units = 0u32;
        for (index, ch) in content.char_indices() {
            if units >= position.character {
                return TextSize::try_from(start + index).unwrap_or_default();
            }
            units += ch.len_utf16() as u32;
        }
        TextSize::try_from(start + content.len()).unwrap_or_default()
    }

    /// The 0-based line of a byte offset.
    pub fn line_of(&self, offset: TextSize) -> usize {
        self.position(offset).line as usize
    }

    /// The byte range of a 0-based line, without its line break.
    pub fn line_range(&self, line: usize) -> Option<TextRange> {
        let start = *self.starts.get(line)?;
        let end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let content = self.text[start..end].trim_end_matches(['\n', '\r']);
        Some(TextRange::at(
            TextSize::try_from(start).ok()?,
            TextSize::of(content),
        ))
    }

    /// The position just past the last character.
    pub fn end(&self) -> Position {
        self.position(TextSize::of(self.text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_positions_round_trip_across_line_endings_and_wide_characters() {
        let text = "a = 1\r\nb = \"é𝄞\"\rc\n\nlast";
        let map = LineMap::new(text);
        for (offset, _) in text.char_indices() {
            let offset = TextSize::try_from(offset).unwrap();
            let position = map.position(offset);
            let back = map.offset(position);
            // A position inside a CRLF pair maps back to the line end.
            if text.as_bytes()[offset.to_usize()] == b'\n'
                && text.as_bytes()[offset.to_usize() - 1] == b'\r'
            {
                continue;
            }
            assert_eq!(back, offset, "{position:?}");
        }
        assert_eq!(map.position(TextSize::from(7)), Position::new(1, 0));
        // 'é' is one UTF-16 unit, the clef two.
        let clef_end = text.find('"').unwrap() + 1 + "é𝄞".len();
        assert_eq!(
            map.position(TextSize::try_from(clef_end).unwrap()),
            Position::new(1, 8)
        );
        assert_eq!(map.position(TextSize::of(text)), Position::new(4, 4));
        assert_eq!(map.end(), Position::new(4, 4));
        assert_eq!(map.offset(Position::new(0, 99)), TextSize::from(5));
        assert_eq!(map.offset(Position::new(99, 0)), TextSize::of(text));
        assert_eq!(map.line_range(1).map(|r| &text[r]), Some("b = \"é𝄞\""));
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let text = "\u{feff}x = 1\n";
        let map = LineMap::new(text);
        assert_eq!(map.position(TextSize::from(3)), Position::new(0, 0));
        assert_eq!(map.position(TextSize::from(4)), Position::new(0, 1));
        assert_eq!(map.offset(Position::new(0, 1)), TextSize::from(4));
    }
}
