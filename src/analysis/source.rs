//! Source files as the analysis sees them: the path, the decoded text (a leading
//! UTF-8 BOM is kept, so every byte offset is an offset into the file as written),
//! a line index for 1-based line/column lookups, and how the bytes were decoded
//! (UTF-8, or the encoding a PEP 263 coding line declares).

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::bytes::Regex;
use ruff_source_file::{LineIndex, OneIndexed, PositionEncoding};
use ruff_text_size::{TextRange, TextSize};

/// How a file's bytes were turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    /// Plain UTF-8 (with or without a BOM: see [`SourceFile::has_bom`]).
    Utf8,
    /// ISO-8859-1 (`latin-1`, `iso-8859-1`, `l1`): one byte per character.
    Latin1,
    /// A non-UTF-8 encoding named by a PEP 263 coding line (e.g. `latin-1`).
    /// Edits must be re-encoded with it before writing.
    Declared(&'static encoding_rs::Encoding),
}

impl SourceEncoding {
    /// The encoding's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Latin1 => "latin-1",
            Self::Declared(enc) => enc.name(),
        }
    }
}

/// The largest file analysed: hand-written Python stays far below; a
/// generated file of tens of megabytes would cost gigabytes of syntax tree.
pub const MAX_SOURCE_BYTES: u64 = 8 << 20;

/// Why a file could not be turned into text.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// Larger than [`MAX_SOURCE_BYTES`]: generated or minified, not read.
    #[error("{megabytes} MB, over the {} MB limit for one file: not analysed (generated or minified code?)", MAX_SOURCE_BYTES >> 20)]
    TooLarge {
        /// The size, rounded up to whole megabytes.
        megabytes: u64,
    },
    /// Not UTF-8 and no usable PEP 263 coding line.
    #[error("not valid UTF-8 and no PEP 263 coding line declares its encoding")]
    NotUtf8 {
        /// 1-based line and character column of the first invalid byte.
        at: (usize, usize),
    },
    /// A coding line names an encoding we do not know.
    #[error("unknown encoding `{0}` in the coding line")]
    UnknownEncoding(String),
    /// The bytes are not valid in the declared encoding.
    #[error("not valid {encoding} as its coding line declares")]
    Malformed {
        /// The declared encoding.
        encoding: &'static str,
        /// 1-based line and character column of the first invalid byte, when known.
        at: Option<(usize, usize)>,
    },
}

impl SourceError {
    /// 1-based line and character column of the problem, when there is one.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            Self::NotUtf8 { at } => Some(*at),
            Self::Malformed { at, .. } => *at,
            Self::Io(_) | Self::UnknownEncoding(_) | Self::TooLarge { .. } => None,
        }
    }
}

/// 1-based line and character column of the first byte that is not UTF-8.
fn utf8_error_position(bytes: &[u8], error: &std::str::Utf8Error) -> (usize, usize) {
    let valid = &bytes[..error.valid_up_to()];
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
    let prefix = std::str::from_utf8(&valid[line_start..]).unwrap_or_default();
    let column = prefix.trim_start_matches('\u{feff}').chars().count() + 1;
    (line, column)
}

/// Decodes UTF-8 or says where it stops being UTF-8.
fn decode_utf8(bytes: Vec<u8>) -> Result<String, (usize, usize)> {
    String::from_utf8(bytes).map_err(|e| utf8_error_position(e.as_bytes(), &e.utf8_error()))
}

/// One file's text and position helpers. Offsets are UTF-8 byte offsets into
/// [`text`](Self::text), which keeps a leading BOM.
#[derive(Debug, Clone)]
pub struct SourceFile {
    path: PathBuf,
    text: String,
    /// Built when a position is first asked for: most files of a run
    /// report nothing and never need it.
    line_index: std::sync::OnceLock<LineIndex>,
    encoding: SourceEncoding,
}

/// A 1-based line and character column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters (a tab counts as one; a BOM does not).
    pub column: usize,
}

static CODING_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t\x0c]*#.*?coding[:=][ \t]*([-\w.]+)").expect("valid regex"));

impl SourceFile {
    /// Reads and decodes a file.
    pub fn read(path: &Path) -> Result<Self, SourceError> {
        use std::io::Read;
        // One open and one fstat: the size check and the buffer come from the
        // open file (no second lookup of the path).
        let mut file = std::fs::File::open(path)?;
        let size = file.metadata()?.len();
        if size > MAX_SOURCE_BYTES {
            return Err(SourceError::TooLarge {
                megabytes: size.div_ceil(1 << 20),
            });
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
        file.read_to_end(&mut bytes)?;
        Self::from_bytes(path, bytes)
    }

    /// Decodes bytes: UTF-8 (BOM kept) unless a PEP 263 coding line in the first two
    /// lines declares another encoding; undecodable bytes are an error.
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Self, SourceError> {
        let declared = declared_encoding(&bytes);
        let has_bom = bytes.starts_with(b"\xEF\xBB\xBF");
        let label = match declared {
            Some(label) if !has_bom => label,
            _ => {
                return decode_utf8(bytes)
                    .map(|text| Self::from_text(path, text))
                    .map_err(|at| SourceError::NotUtf8 { at });
            }
        };
        let normalized = label.replace('_', "-");
        if matches!(
            normalized.as_str(),
            "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "l1" | "iso-latin-1"
        ) {
            let text: String = bytes.iter().map(|&b| char::from(b)).collect();
            let mut file = Self::from_text(path, text);
            file.encoding = SourceEncoding::Latin1;
            return Ok(file);
        }
        // Python's own names for UTF-8 and ASCII (its `encodings.aliases`):
        // `# -*- coding: utf -*-` is accepted by Python, so it is here.
        if matches!(
            normalized.as_str(),
            "ascii"
                | "us-ascii"
                | "us"
                | "646"
                | "utf8"
                | "utf-8"
                | "utf-8-sig"
                | "utf"
                | "u8"
                | "cp65001"
                | "utf8-ucs2"
                | "utf8-ucs4"
        ) {
            return decode_utf8(bytes)
                .map(|text| Self::from_text(path, text))
                .map_err(|at| SourceError::Malformed {
                    encoding: "utf-8",
                    at: Some(at),
                });
        }
        let Some(encoding) = encoding_rs::Encoding::for_label(normalized.as_bytes()) else {
            return Err(SourceError::UnknownEncoding(label));
        };
        if encoding == encoding_rs::UTF_8 {
            return decode_utf8(bytes)
                .map(|text| Self::from_text(path, text))
                .map_err(|at| SourceError::Malformed {
                    encoding: "utf-8",
                    at: Some(at),
                });
        }
        let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(&bytes)
        else {
            return Err(SourceError::Malformed {
                encoding: encoding.name(),
                at: None,
            });
        };
        let mut file = Self::from_text(path, text.into_owned());
        file.encoding = SourceEncoding::Declared(encoding);
        Ok(file)
    }

    /// Wraps text that is already decoded (UTF-8).
    pub fn from_text(path: &Path, text: String) -> Self {
        Self {
            path: path.to_path_buf(),
            text,
            line_index: std::sync::OnceLock::new(),
            encoding: SourceEncoding::Utf8,
        }
    }

    fn line_index(&self) -> &LineIndex {
        self.line_index
            .get_or_init(|| LineIndex::from_source_text(&self.text))
    }

    /// The path as given to the analysis.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The whole text, BOM included.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How the text was decoded.
    pub fn encoding(&self) -> SourceEncoding {
        self.encoding
    }

    /// Whether the text starts with a UTF-8 byte order mark.
    pub fn has_bom(&self) -> bool {
        self.text.starts_with('\u{feff}')
    }

    /// The text of `range`.
    pub fn slice(&self, range: TextRange) -> &str {
        &self.text[range]
    }

    /// 1-based line and character column of a byte offset (BOM not counted).
    pub fn line_col(&self, offset: TextSize) -> LineCol {
        let lc = self.line_index().line_column(offset, &self.text);
        LineCol {
            line: lc.line.get(),
            column: lc.column.get(),
        }
    }

    /// 1-based line and UTF-16 column of an offset (SARIF's default column unit).
    pub fn line_col_utf16(&self, offset: TextSize) -> LineCol {
        let loc = self
            .line_index()
            .source_location(offset, &self.text, PositionEncoding::Utf16);
        let line = loc.line.get();
        let mut column = loc.character_offset.get();
        if line == 1 && self.has_bom() {
            // `source_location` counts the BOM as a column; nobody else does.
            column = column.saturating_sub(1).max(1);
        }
        LineCol { line, column }
    }

    /// The byte offset where 1-based `line` starts (after the BOM on line 1).
    pub fn line_start(&self, line: usize) -> TextSize {
        let start = self
            .line_index()
            .line_start(OneIndexed::new(line).unwrap_or(OneIndexed::MIN), &self.text);
        if line <= 1 && self.has_bom() {
            TextSize::from(3)
        } else {
            start
        }
    }

    /// The range of the line containing `offset`, without its line break.
    pub fn line_range(&self, offset: TextSize) -> TextRange {
        let line = self.line_col(offset).line;
        let start = self.line_start(line);
        let next = self
            .line_index()
            .line_end(OneIndexed::new(line).unwrap_or(OneIndexed::MIN), &self.text);
        let rest = &self.text[TextRange::new(start, next)];
        let trimmed = rest.trim_end_matches(['\n', '\r']);
        TextRange::at(start, TextSize::of(trimmed))
    }

    /// The text of the line containing `offset`, without its line break.
    pub fn line_text(&self, offset: TextSize) -> &str {
        &self.text[self.line_range(offset)]
    }

    /// The number of lines.
    pub fn line_count(&self) -> usize {
        self.line_index().line_count()
    }
}

/// The encoding label of a PEP 263 coding line in the first two lines, if any.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let mut lines = bytes.split(|&b| b == b'\n');
    for (i, line) in lines.by_ref().take(2).enumerate() {
        let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        if let Some(caps) = CODING_LINE.captures(line) {
            return Some(String::from_utf8_lossy(&caps[1]).to_ascii_lowercase());
        }
        // PEP 263: the second line counts only when the first is blank or a comment.
        let trimmed = line.trim_ascii_start();
        if i == 0 && !(trimmed.is_empty() || trimmed.starts_with(b"#")) {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<SourceFile, SourceError> {
        SourceFile::from_bytes(Path::new("x.py"), bytes.to_vec())
    }

    #[test]
    fn utf8_with_bom_keeps_offsets() {
        let file = decode("\u{feff}x = 'é'\ny = 1\n".as_bytes()).unwrap();
        assert!(file.has_bom());
        assert_eq!(
            file.line_col(TextSize::from(3)),
            LineCol { line: 1, column: 1 }
        );
        assert_eq!(file.line_text(TextSize::from(4)), "x = 'é'");
        assert_eq!(file.line_col_utf16(TextSize::from(3)).column, 1);
        assert_eq!(file.line_start(2), TextSize::from(12));
    }

    #[test]
    fn latin1_coding_line_is_decoded() {
        let file = decode(b"# -*- coding: latin-1 -*-\ns = '\xe9'\n").unwrap();
        assert!(file.text().contains("'é'"));
        assert_eq!(file.encoding(), SourceEncoding::Latin1);
        let cp = decode(b"# coding: cp1252\ns = '\x80'\n").unwrap();
        assert!(cp.text().contains('\u{20ac}'));
    }

    #[test]
    fn invalid_utf8_without_coding_line_is_refused() {
        let err = decode(b"s = '\xe9'\n").unwrap_err();
        assert!(matches!(err, SourceError::NotUtf8 { .. }), "{err}");
        assert_eq!(err.position(), Some((1, 6)));
        let later = decode(
            "x = 1\n\u{feff}"
                .as_bytes()
                .iter()
                .chain(b"\nt = '\xc3\xa9\xff'\n")
                .copied()
                .collect::<Vec<u8>>()
                .as_slice(),
        )
        .unwrap_err();
        assert_eq!(
            later.position(),
            Some((3, 7)),
            "the column counts characters"
        );
        let declared = decode(b"# coding: utf-8\ns = '\xe9'\n").unwrap_err();
        assert_eq!(declared.position(), Some((2, 6)));
    }

    #[test]
    fn python_aliases_of_utf8_are_accepted() {
        for label in ["utf", "u8", "UTF8", "utf_8", "cp65001"] {
            let source = format!("# -*- coding: {label} -*-\ns = 'caf\u{e9}'\n");
            let file = decode(source.as_bytes()).unwrap();
            assert_eq!(file.encoding(), SourceEncoding::Utf8, "{label}");
            assert!(file.text().contains("caf\u{e9}"));
        }
    }

    #[test]
    fn coding_line_on_second_line_only_after_comment() {
        assert_eq!(
            declared_encoding(b"#!/usr/bin/python\n# coding=cp1252\n").as_deref(),
            Some("cp1252")
        );
        assert_eq!(declared_encoding(b"import os\n# coding=cp1252\n"), None);
    }

    #[test]
    fn crlf_line_text_has_no_carriage_return() {
        let file = decode(b"a = 1\r\nb = 2\r\n").unwrap();
        assert_eq!(file.line_text(TextSize::from(8)), "b = 2");
        assert_eq!(
            file.line_col(TextSize::from(8)),
            LineCol { line: 2, column: 2 }
        );
    }
}
