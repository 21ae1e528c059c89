//! The one adapter over the Ruff parser crates (`ruff_python_parser` and friends,
//! pinned `=0.0.10`). Everything parser-specific lives here: the target version
//! (Python 3.14), error recovery, which error lists count, tokens and comment
//! ranges. The rest of the analysis sees a [`ParsedModule`] and plain
//! [`SyntaxIssue`]s.
//!
//! A `ParsedModule` owns a possibly very deep AST: create, walk *and drop* it on a
//! big-stack thread (see `engine`), never on a default 2 MiB thread.

use ruff_python_ast::token::Tokens;
use ruff_python_ast::{ModModule, PythonVersion, Stmt};
use ruff_python_parser::{Mode, ParseOptions, Parsed, parse_unchecked};
use ruff_python_trivia::CommentRanges;
use ruff_text_size::{Ranged, TextRange};

/// The newest Python syntax the analysis accepts.
pub const TARGET_VERSION: PythonVersion = PythonVersion::PY314;

/// A syntax problem in a file: where, and the parser's message without byte ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxIssue {
    /// Where the parser stopped understanding the file.
    pub range: TextRange,
    /// For example ``Expected `,`, found name``.
    pub message: String,
}

/// A parsed Python module with its tokens and comment ranges.
pub struct ParsedModule {
    parsed: Parsed<ModModule>,
    comments: CommentRanges,
}

impl std::fmt::Debug for ParsedModule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParsedModule")
            .field("statements", &self.suite().len())
            .finish_non_exhaustive()
    }
}

/// Parses Python source text (BOM included) for the newest supported syntax.
/// Never panics; syntax errors are listed by [`ParsedModule::syntax_issues`].
pub fn parse_python(text: &str) -> ParsedModule {
    let options = ParseOptions::from(Mode::Module).with_target_version(TARGET_VERSION);
    let parsed = parse_unchecked(text, options)
        .try_into_module()
        .expect("Mode::Module always yields a module");
    let comments = CommentRanges::from(parsed.tokens());
    ParsedModule { parsed, comments }
}

/// The most operations one statement may chain or nest (`a + a + ...`,
/// `x.a.b.c...`, `not not ...`) before the file is skipped: the analysis walks
/// such trees recursively. CPython's own compiler gives up far earlier.
pub const MAX_CHAINED_OPERATIONS: usize = 10_000;
/// The deepest bracket nesting analysed (CPython's parser allows 200; the
/// analysis has room for far more).
pub const MAX_BRACKET_DEPTH: usize = 10_000;

impl ParsedModule {
    /// Whether one statement nests or chains more operations than the
    /// analysis walks safely: the first such statement, as a skip reason.
    /// Counted on the tokens, without walking the tree.
    pub fn too_deep(&self) -> Option<SyntaxIssue> {
        use ruff_python_ast::token::TokenKind;
        // Each counted token takes at least one byte and needs an operand: a
        // module shorter than the limits cannot exceed them.
        let size = self.tokens().last().map_or(0, |t| t.end().to_usize());
        if size < MAX_CHAINED_OPERATIONS.min(MAX_BRACKET_DEPTH) {
            return None;
        }
        let mut chained = 0usize;
        let mut depth = 0usize;
        // The index of the statement's first token (after the last newline).
        let mut first = 0usize;
        let tokens = self.tokens();
        for (index, token) in tokens.iter().enumerate() {
            match token.kind() {
                TokenKind::Newline => {
                    chained = 0;
                    first = index + 1;
                    continue;
                }
                TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                    depth += 1;
                    if depth <= MAX_BRACKET_DEPTH {
                        continue;
                    }
                }
                TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                    depth = depth.saturating_sub(1);
                    continue;
                }
                TokenKind::Dot
                | TokenKind::Percent
                | TokenKind::Not
                | TokenKind::If
                | TokenKind::Lambda
                | TokenKind::Await => chained += 1,
                k if k.is_arithmetic() || k.is_bitwise_or_shift() => chained += 1,
                _ => continue,
            }
            if chained > MAX_CHAINED_OPERATIONS || depth > MAX_BRACKET_DEPTH {
                let what = if depth > MAX_BRACKET_DEPTH {
                    format!("brackets nested more than {MAX_BRACKET_DEPTH} deep")
                } else {
                    format!(
                        "more than {MAX_CHAINED_OPERATIONS} operations chained in one statement"
                    )
                };
                let start = tokens.get(first).map_or(token.range(), |t| t.range());
                return Some(SyntaxIssue {
                    range: start,
                    message: format!("{what}: too deep to analyse safely"),
                });
            }
        }
        None
    }

    /// The module's top-level statements.
    pub fn suite(&self) -> &[Stmt] {
        self.parsed.suite()
    }

    /// The token stream (also produced for files with syntax errors).
    pub fn tokens(&self) -> &Tokens {
        self.parsed.tokens()
    }

    /// Sorted ranges of every comment (`#` to end of line, no line break).
    pub fn comment_ranges(&self) -> &CommentRanges {
        &self.comments
    }

    /// Every syntax error, plus syntax too new for [`TARGET_VERSION`], in source order.
    pub fn syntax_issues(&self) -> Vec<SyntaxIssue> {
        let mut issues: Vec<SyntaxIssue> = self
            .parsed
            .errors()
            .iter()
            .map(|e| SyntaxIssue {
                range: e.range(),
                message: e.error.to_string(),
            })
            .chain(
                self.parsed
                    .unsupported_syntax_errors()
                    .iter()
                    .map(|u| SyntaxIssue {
                        range: u.range(),
                        message: u.to_string(),
                    }),
            )
            .collect();
        issues.sort_by_key(|i| i.range.start());
        issues
    }

    /// Whether the file parsed without any syntax issue.
    pub fn is_valid(&self) -> bool {
        self.parsed.has_no_syntax_errors()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_python_314_syntax() {
        let src = "type X = int\nmatch x:\n    case 1: pass\ntry:\n    pass\nexcept* E:\n    pass\nt = t\"{x}\"\n";
        let parsed = parse_python(src);
        assert!(parsed.is_valid(), "{:?}", parsed.syntax_issues());
    }

    #[test]
    fn reports_errors_without_byte_ranges() {
        let parsed = parse_python("app = Flask(__name__\nx = 1\n");
        let issues = parsed.syntax_issues();
        assert!(!issues.is_empty());
        assert!(
            !issues[0].message.contains("byte range"),
            "{}",
            issues[0].message
        );
    }

    #[test]
    fn comments_are_collected() {
        let parsed = parse_python("x = '#no'  # noqa: FH101\n");
        assert_eq!(parsed.comment_ranges().len(), 1);
    }
}
