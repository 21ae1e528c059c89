//! PEP 508 requirement strings (`name[extras] specifiers ; marker`) parsed with
//! the byte range of every part, so that edits can replace exactly one version
//! token and leave every other byte of the line alone.
//!
//! Only what the dependency rules need is modelled: the name (normalised per
//! PEP 503), the extras, the version clauses with their operators, and the
//! ranges of the marker and of a direct URL. Versions are compared with
//! [`pep440_rs`].

use std::ops::Range;
use std::str::FromStr;

use pep440_rs::Version;

/// A version comparison operator as written in a PEP 440 specifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `===`
    ArbitraryEqual,
    /// `==` (also `==1.2.*`, see [`Clause::wildcard`])
    Equal,
    /// `!=`
    NotEqual,
    /// `~=`
    Compatible,
    /// `<=`
    LessEqual,
    /// `>=`
    GreaterEqual,
    /// `<`
    Less,
    /// `>`
    Greater,
    /// Poetry `^` (caret: up to the next significant release).
    Caret,
    /// Poetry `~` (tilde: up to the next minor release).
    Tilde,
    /// Poetry's bare version (`flask = "2.2.2"`): an exact pin.
    Bare,
}

impl Op {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::ArbitraryEqual => "===",
            Op::Equal => "==",
            Op::NotEqual => "!=",
            Op::Compatible => "~=",
            Op::LessEqual => "<=",
            Op::GreaterEqual => ">=",
            Op::Less => "<",
            Op::Greater => ">",
            Op::Caret => "^",
            Op::Tilde => "~",
            Op::Bare => "",
        }
    }
}

/// One `op version` clause of a specifier, with byte ranges into the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub op: Op,
    /// The version text as written (`2.2.2`, `2.*`).
    pub version: String,
    pub op_range: Range<usize>,
    pub version_range: Range<usize>,
    /// `==1.2.*` / `!=1.2.*`.
    pub wildcard: bool,
}

impl Clause {
    /// The clause's version, when it is a valid PEP 440 version (wildcards are not).
    pub fn parsed_version(&self) -> Option<Version> {
        if self.wildcard {
            return None;
        }
        Version::from_str(&self.version).ok()
    }
}

/// A parsed PEP 508 requirement. All ranges are byte offsets into the text that
/// was given to [`parse_requirement`] (plus its `base` offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The name as written.
    pub name: String,
    /// The PEP 503 normalised name (`Flask_Cors` -> `flask-cors`).
    pub normalized: String,
    pub name_range: Range<usize>,
    pub extras: Vec<String>,
    pub clauses: Vec<Clause>,
    /// The whole specifier (`>=2.0, <3`), without parentheses.
    pub specifier_range: Option<Range<usize>>,
    /// The marker expression after `;`.
    pub marker_range: Option<Range<usize>>,
    /// A direct reference after `@`.
    pub url_range: Option<Range<usize>>,
    /// The requirement from its first to its last significant byte.
    pub range: Range<usize>,
}

/// Why a requirement string could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequirementError {
    #[error("expected a package name at byte {0}")]
    MissingName(usize),
    #[error("unclosed `[` of the extras starting at byte {0}")]
    UnclosedExtras(usize),
    #[error("invalid version specifier at byte {0}")]
    InvalidSpecifier(usize),
    #[error("expected a URL after `@` at byte {0}")]
    MissingUrl(usize),
    #[error("unexpected text at byte {0}")]
    Trailing(usize),
}

/// PEP 503 normalisation: lowercase, runs of `-`, `_`, `.` become one `-`.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_sep = false;
    for ch in name.chars() {
        if matches!(ch, '-' | '_' | '.') {
            pending_sep = true;
            continue;
        }
        if pending_sep && !out.is_empty() {
            out.push('-');
        }
        pending_sep = false;
        out.push(ch.to_ascii_lowercase());
    }
    out
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }
    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }
    fn eat_while(&mut self, pred: impl Fn(u8) -> bool) -> Range<usize> {
        let start = self.pos;
        while self.peek().is_some_and(&pred) {
            self.pos += 1;
        }
        start..self.pos
    }
    fn starts_with(&self, s: &str) -> bool {
        self.bytes[self.pos..].starts_with(s.as_bytes())
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

fn is_version_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'*' | b'+' | b'!' | b'-' | b'_')
}

/// Parses one requirement string. `base` is added to every range, so that a
/// requirement found inside a larger text reports ranges into that text.
pub fn parse_requirement(text: &str, base: usize) -> Result<Requirement, RequirementError> {
    let mut c = Cursor {
        bytes: text.as_bytes(),
        pos: 0,
    };
    c.skip_ws();
    let start = c.pos;
    if !c.peek().is_some_and(|b| b.is_ascii_alphanumeric()) {
        return Err(RequirementError::MissingName(base + c.pos));
    }
    let name_range = c.eat_while(is_name_byte);
    let name = text[name_range.clone()].to_string();
    let mut last_significant = c.pos;
    c.skip_ws();

    let mut extras = Vec::new();
    if c.peek() == Some(b'[') {
        let open = c.pos;
        let Some(close) = text[open..].find(']') else {
            return Err(RequirementError::UnclosedExtras(base + open));
        };
        extras = text[open + 1..open + close]
            .split(',')
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())
            .collect();
        c.pos = open + close + 1;
        last_significant = c.pos;
        c.skip_ws();
    }

    let mut clauses = Vec::new();
    let mut specifier_range = None;
    let mut url_range = None;
    if c.peek() == Some(b'@') {
        c.pos += 1;
        c.skip_ws();
        // A URL ends at whitespace (a marker must be preceded by whitespace).
        let r = c.eat_while(|b| !b.is_ascii_whitespace());
        if r.is_empty() {
            return Err(RequirementError::MissingUrl(base + r.start));
        }
        last_significant = c.pos;
        url_range = Some(base + r.start..base + r.end);
        c.skip_ws();
    } else {
        let parenthesised = c.peek() == Some(b'(');
        if parenthesised {
            c.pos += 1;
            c.skip_ws();
        }
        let spec_start = c.pos;
        let mut spec_end = c.pos;
        loop {
            let op_start = c.pos;
            let op = [
                ("===", Op::ArbitraryEqual),
                ("==", Op::Equal),
                ("!=", Op::NotEqual),
                ("~=", Op::Compatible),
                ("<=", Op::LessEqual),
                (">=", Op::GreaterEqual),
                ("<", Op::Less),
                (">", Op::Greater),
            ]
            .into_iter()
            .find(|(s, _)| c.starts_with(s));
            let Some((op_text, op)) = op else {
                if clauses.is_empty() {
                    break;
                }
                return Err(RequirementError::InvalidSpecifier(base + c.pos));
            };
            c.pos += op_text.len();
            let op_range = base + op_start..base + c.pos;
            c.skip_ws();
            let vr = c.eat_while(is_version_byte);
            if vr.is_empty() {
                return Err(RequirementError::InvalidSpecifier(base + c.pos));
            }
            let version = text[vr.clone()].to_string();
            let wildcard = version.ends_with(".*");
            spec_end = c.pos;
            clauses.push(Clause {
                op,
                version,
                op_range,
                version_range: base + vr.start..base + vr.end,
                wildcard,
            });
            c.skip_ws();
            if c.peek() == Some(b',') {
                c.pos += 1;
                c.skip_ws();
                continue;
            }
            break;
        }
        if !clauses.is_empty() {
            specifier_range = Some(base + spec_start..base + spec_end);
            last_significant = spec_end;
        }
        if parenthesised {
            if c.peek() != Some(b')') {
                return Err(RequirementError::InvalidSpecifier(base + c.pos));
            }
            c.pos += 1;
            last_significant = c.pos;
            c.skip_ws();
        }
    }

    let mut marker_range = None;
    if c.peek() == Some(b';') {
        c.pos += 1;
        c.skip_ws();
        let marker = text[c.pos..].trim_end();
        if !marker.is_empty() {
            marker_range = Some(base + c.pos..base + c.pos + marker.len());
            last_significant = c.pos + marker.len();
        }
        c.pos = text.len();
    }
    c.skip_ws();
    if c.pos < text.len() {
        return Err(RequirementError::Trailing(base + c.pos));
    }

    Ok(Requirement {
        normalized: normalize_name(&name),
        name,
        name_range: base + name_range.start..base + name_range.end,
        extras,
        clauses,
        specifier_range,
        marker_range,
        url_range,
        range: base + start..base + last_significant,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, r: &Range<usize>) -> String {
        text[r.clone()].to_string()
    }

    #[test]
    fn normalises_names_per_pep_503() {
        assert_eq!(normalize_name("Flask_Cors"), "flask-cors");
        assert_eq!(
            normalize_name("flask.debug__toolbar"),
            "flask-debug-toolbar"
        );
        assert_eq!(normalize_name("Jinja2"), "jinja2");
        assert_eq!(normalize_name("PyJWT"), "pyjwt");
    }

    #[test]
    fn parses_name_extras_specifier_and_marker_with_ranges() {
        let text = "  Flask[async, dotenv] >=2.0 , <3 ; python_version >= \"3.8\"  ";
        let r = parse_requirement(text, 0).unwrap();
        assert_eq!(r.name, "Flask");
        assert_eq!(r.normalized, "flask");
        assert_eq!(r.extras, vec!["async", "dotenv"]);
        assert_eq!(r.clauses.len(), 2);
        assert_eq!(r.clauses[0].op, Op::GreaterEqual);
        assert_eq!(slice(text, &r.clauses[0].version_range), "2.0");
        assert_eq!(r.clauses[1].op, Op::Less);
        assert_eq!(slice(text, &r.clauses[1].version_range), "3");
        assert_eq!(
            slice(text, r.specifier_range.as_ref().unwrap()),
            ">=2.0 , <3"
        );
        assert_eq!(
            slice(text, r.marker_range.as_ref().unwrap()),
            "python_version >= \"3.8\""
        );
        assert_eq!(slice(text, &r.range), text.trim());
    }

    #[test]
    fn base_offset_shifts_every_range() {
        let r = parse_requirement("flask==2.2.2", 10).unwrap();
        assert_eq!(r.name_range, 10..15);
        assert_eq!(r.clauses[0].op_range, 15..17);
        assert_eq!(r.clauses[0].version_range, 17..22);
        assert_eq!(r.range, 10..22);
    }

    #[test]
    fn parses_every_operator_and_wildcards() {
        for (text, op) in [
            ("a===1.0", Op::ArbitraryEqual),
            ("a==1.0", Op::Equal),
            ("a!=1.0", Op::NotEqual),
            ("a~=1.0", Op::Compatible),
            ("a<=1.0", Op::LessEqual),
            ("a>=1.0", Op::GreaterEqual),
            ("a<1.0", Op::Less),
            ("a>1.0", Op::Greater),
        ] {
            let r = parse_requirement(text, 0).unwrap();
            assert_eq!(r.clauses[0].op, op, "{text}");
            assert_eq!(r.clauses[0].op.as_str(), &text[1..text.len() - 3]);
        }
        let r = parse_requirement("flask==2.*", 0).unwrap();
        assert!(r.clauses[0].wildcard);
        assert_eq!(r.clauses[0].parsed_version(), None);
    }

    #[test]
    fn parses_parenthesised_specifiers_and_urls() {
        let text = "werkzeug (>=2.0,<3)";
        let r = parse_requirement(text, 0).unwrap();
        assert_eq!(slice(text, r.specifier_range.as_ref().unwrap()), ">=2.0,<3");
        assert_eq!(r.range, 0..text.len());

        let text = "pkg @ https://example.com/pkg-1.0.tar.gz ; os_name == 'nt'";
        let r = parse_requirement(text, 0).unwrap();
        assert!(r.clauses.is_empty());
        assert_eq!(
            slice(text, r.url_range.as_ref().unwrap()),
            "https://example.com/pkg-1.0.tar.gz"
        );
        assert!(r.marker_range.is_some());
    }

    #[test]
    fn bare_names_and_pre_post_dev_versions() {
        let r = parse_requirement("gunicorn", 0).unwrap();
        assert!(r.clauses.is_empty() && r.specifier_range.is_none());
        let r = parse_requirement("jinja2==3.1.0rc1", 0).unwrap();
        assert_eq!(
            r.clauses[0].parsed_version().unwrap().to_string(),
            "3.1.0rc1"
        );
        let r = parse_requirement("flask==1!2.0.post1.dev3", 0).unwrap();
        let v = r.clauses[0].parsed_version().unwrap();
        assert_eq!(v.epoch(), 1);
        assert!(v.is_post() && v.is_dev());
    }

    #[test]
    fn rejects_malformed_requirements() {
        assert_eq!(
            parse_requirement("==1.0", 0),
            Err(RequirementError::MissingName(0))
        );
        assert_eq!(
            parse_requirement("flask[async", 0),
            Err(RequirementError::UnclosedExtras(5))
        );
        assert_eq!(
            parse_requirement("flask==", 0),
            Err(RequirementError::InvalidSpecifier(7))
        );
        assert_eq!(
            parse_requirement("flask>=1.0,", 0),
            Err(RequirementError::InvalidSpecifier(11))
        );
        assert_eq!(
            parse_requirement("flask @ ", 0),
            Err(RequirementError::MissingUrl(8))
        );
        assert_eq!(
            parse_requirement("flask 2.0", 0),
            Err(RequirementError::Trailing(6))
        );
    }
}
