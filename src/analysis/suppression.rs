//! Suppression comments: `# noqa` (everything), `# noqa: FH102, FH105` and
//! `# flask-harden: ignore[FH102]`, on the line of a finding or on the line that
//! opens its statement. Codes of other tools in a `# noqa` list (`E501`, `S201`)
//! are left alone; an `FH` code that names no rule, or any unknown code inside
//! `flask-harden: ignore[...]`, is reported as an [`UnknownCode`].

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use ruff_text_size::{TextRange, TextSize};

use super::codes::{self, RuleSet};
use super::diagnostic::Diagnostic;
use super::source::SourceFile;

/// What one line's comments suppress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineSuppression {
    All,
    Rules(RuleSet),
}

/// An unknown code in a suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    /// The comment's range.
    pub range: TextRange,
    /// The code as written.
    pub code: String,
}

/// The suppressions of one file, by 1-based line.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    lines: HashMap<usize, LineSuppression>,
}

static NOQA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^#\s*noqa(?:\s*:\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+|\s+[A-Z]+[0-9]+)*))?",
    )
    .expect("valid regex")
});
static IGNORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^#\s*flask-harden\s*:\s*ignore\s*\[(?P<codes>[^\]]*)\]").expect("valid regex")
});

/// Whether a comment contains `noqa` or `flask-harden` in any case (a cheap
/// test before the regular expressions).
fn mentions_suppression(text: &str) -> bool {
    // `q` is rare in prose and `-` in headers: look only around those bytes.
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'q', b'Q', b'-', bytes).any(|i| {
        let (word, before): (&[u8], usize) = if bytes[i] == b'-' {
            (b"flask-harden", 5)
        } else {
            (b"noqa", 2)
        };
        i.checked_sub(before)
            .and_then(|start| bytes.get(start..start + word.len()))
            .is_some_and(|window| window.eq_ignore_ascii_case(word))
    })
}

/// 1-based line numbers of increasing offsets, counted as the line index
/// does (`\n`, `\r\n` and a lone `\r` end a line) but only up to the offsets
/// asked for: most files with a `noqa` comment have no finding, and building
/// their whole line index would cost more.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    fn line_of(&mut self, text: &str, offset: usize) -> usize {
        let bytes = text.as_bytes();
        let end = offset.min(bytes.len()).max(self.offset);
        let chunk = &bytes[self.offset..end];
        self.line += memchr::memchr2_iter(b'\n', b'\r', chunk)
            .filter(|&i| !(chunk[i] == b'\r' && bytes.get(self.offset + i + 1) == Some(&b'\n')))
            .count();
        self.offset = end;
        self.line + 1
    }
}

impl Suppressions {
    /// Reads the suppressions from a file's comments (each `#`-separated part of a
    /// comment is considered, so `# type: ignore  # noqa: FH101` works).
    pub fn from_comments(source: &SourceFile, comments: &[TextRange]) -> (Self, Vec<UnknownCode>) {
        let mut suppressions = Self::default();
        let mut unknown = Vec::new();
        let mut lines = LineCounter::default();
        for &range in comments {
            let text = source.slice(range);
            // Most comments are prose: only those that mention `noqa` or
            // `flask-harden` (any case) can suppress.
            if !mentions_suppression(text) {
                continue;
            }
            let line = lines.line_of(source.text(), range.start().to_usize());
            for (offset, _) in text.match_indices('#') {
                let part = &text[offset..];
                if let Some(caps) = NOQA.captures(part) {
                    match caps.name("codes") {
                        None => suppressions.add(line, LineSuppression::All),
                        Some(codes) => {
                            let mut set = RuleSet::empty();
                            for code in split_codes(codes.as_str()) {
                                let rules = codes::select(code);
                                if rules.is_empty() {
                                    if code.to_ascii_uppercase().starts_with("FH") {
                                        unknown.push(UnknownCode {
                                            range,
                                            code: code.to_owned(),
                                        });
                                    }
                                } else {
                                    rules.into_iter().for_each(|r| set.insert(r));
                                }
                            }
                            suppressions.add(line, LineSuppression::Rules(set));
                        }
                    }
                } else if let Some(caps) = IGNORE.captures(part) {
                    let mut set = RuleSet::empty();
                    for code in split_codes(&caps["codes"]) {
                        let rules = codes::select(code);
                        if rules.is_empty() {
                            unknown.push(UnknownCode {
                                range,
                                code: code.to_owned(),
                            });
                        }
                        rules.into_iter().for_each(|r| set.insert(r));
                    }
                    suppressions.add(line, LineSuppression::Rules(set));
                }
            }
        }
        (suppressions, unknown)
    }

    fn add(&mut self, line: usize, new: LineSuppression) {
        let merged = match (self.lines.get(&line), new) {
            (Some(LineSuppression::All), _) | (_, LineSuppression::All) => LineSuppression::All,
            (Some(LineSuppression::Rules(old)), LineSuppression::Rules(new)) => {
                LineSuppression::Rules(old.iter().chain(new.iter()).collect())
            }
            (None, new) => new,
        };
        self.lines.insert(line, merged);
    }

    /// Whether a comment on the finding's line or its statement's first line
    /// suppresses it.
    pub fn suppresses(&self, source: &SourceFile, diagnostic: &Diagnostic) -> bool {
        let lines = [Some(diagnostic.range.start()), diagnostic.parent]
            .into_iter()
            .flatten()
            .map(|offset: TextSize| source.line_col(offset).line);
        lines.into_iter().any(|line| match self.lines.get(&line) {
            Some(LineSuppression::All) => true,
            Some(LineSuppression::Rules(set)) => set.contains(diagnostic.rule),
            None => false,
        })
    }

    /// Whether there is no suppression at all.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

fn split_codes(codes: &str) -> impl Iterator<Item = &str> {
    codes
        .split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::analysis::codes::Rule;
    use crate::analysis::parse::parse_python;

    fn suppressions(src: &str) -> (SourceFile, Suppressions, Vec<UnknownCode>) {
        let source = SourceFile::from_text(Path::new("x.py"), src.to_owned());
        let parsed = parse_python(src);
        let (s, unknown) = Suppressions::from_comments(&source, parsed.comment_ranges());
        (source, s, unknown)
    }

    fn at_line(source: &SourceFile, line: usize, rule: Rule) -> Diagnostic {
        let start = source.line_start(line);
        Diagnostic::new(rule, TextRange::empty(start), "m")
    }

    #[test]
    fn noqa_forms() {
        let (src, s, unknown) = suppressions(
            "a = 1  # noqa\nb = 2  # noqa: FH102, E501\nc = 3  # flask-harden: ignore[FH101]\nd = 4  # type: ignore # noqa:FH1\ne = 5\n",
        );
        assert!(unknown.is_empty());
        assert!(s.suppresses(&src, &at_line(&src, 1, Rule::DebugModeEnabled)));
        assert!(s.suppresses(&src, &at_line(&src, 2, Rule::HardcodedSecret)));
        assert!(!s.suppresses(&src, &at_line(&src, 2, Rule::DebugModeEnabled)));
        assert!(s.suppresses(&src, &at_line(&src, 3, Rule::DebugModeEnabled)));
        assert!(s.suppresses(&src, &at_line(&src, 4, Rule::BindAllInterfaces)));
        assert!(!s.suppresses(&src, &at_line(&src, 5, Rule::DebugModeEnabled)));
    }

    #[test]
    fn comment_lines_are_counted_as_the_line_index_counts_them() {
        let text = "a = 1  # noqa\r\nb = 2\rc = 3  # noqa\n\n\r\nd = [  # x\r\r\n]  # noqa\n";
        let (src, ..) = suppressions(text);
        let mut counter = LineCounter::default();
        let offsets: Vec<usize> = text.match_indices('#').map(|(i, _)| i).collect();
        assert_eq!(offsets.len(), 4);
        for offset in offsets {
            let expected = src.line_col(TextSize::try_from(offset).unwrap()).line;
            assert_eq!(counter.line_of(src.text(), offset), expected, "at {offset}");
        }
    }

    #[test]
    fn statement_first_line_counts() {
        let (src, s, _) = suppressions("app.run(  # noqa: FH101\n    debug=True,\n)\n");
        let mut d = at_line(&src, 2, Rule::DebugModeEnabled);
        assert!(!s.suppresses(&src, &d));
        d.parent = Some(TextSize::from(0));
        assert!(s.suppresses(&src, &d));
    }

    #[test]
    fn unknown_codes_are_reported() {
        let (_, _, unknown) =
            suppressions("a = 1  # noqa: FH999, S105\nb = 2  # flask-harden: ignore[FH1O1]\n");
        let codes: Vec<_> = unknown.iter().map(|u| u.code.as_str()).collect();
        assert_eq!(codes, ["FH999", "FH1O1"]);
    }

    #[test]
    fn only_comments_naming_a_suppression_are_read() {
        for text in [
            "# noqa",
            "#NOQA: FH101",
            "# type: ignore  # noqa:FH101",
            "# flask-harden: ignore[FH101]",
            "# Flask-Harden: ignore[FH101]",
            "#noqa",
            "noqa",
        ] {
            assert!(mentions_suppression(text), "{text}");
        }
        for text in [
            "# a question",
            "# quick - fix",
            "-",
            "q",
            "# flask-harde",
            "# harden",
            "# no qa",
            "",
        ] {
            assert!(!mentions_suppression(text), "{text}");
        }
    }
}
