//! `requirements*.txt` files, parsed line by line the way pip reads them, with
//! the exact byte range of every requirement and of every part of it.
//!
//! pip's rules are followed: a line ending in `\` continues on the next one
//! (unless it holds a comment), `#` starts a comment at the start of a line or
//! after whitespace, lines starting with `-` are options (`-r`/`-c` includes,
//! index options, `-e`), and options after a requirement (`--hash=...`) belong
//! to it. A UTF-8 BOM, CRLF and a missing final newline are normal input.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::requirement::{Requirement, RequirementError, parse_requirement};
use crate::edit::Edit;

/// One logical line of a requirements file that is not blank or a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based number of the entry's first physical line.
    pub line: usize,
    /// From the start of the first physical line to the end of the last one,
    /// without the final line ending.
    pub range: Range<usize>,
    /// `range` plus the final line ending (if any).
    pub full_range: Range<usize>,
    pub kind: EntryKind,
}

/// What a logical line holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// A PEP 508 requirement; ranges are into the whole file text.
    Requirement {
        requirement: Requirement,
        /// The line carries `--hash` options (a changed version needs new hashes).
        hashes: bool,
        /// The requirement sits on one physical line (no `\` continuation inside it),
        /// so its ranges can be edited directly.
        contiguous: bool,
    },
    /// `-r file` / `--requirement file` (or `-c` / `--constraint` when `constraint`).
    Include { constraint: bool, path: String },
    /// Any other option line (`--index-url`, `-e`, `--hash` on its own, ...).
    Option(String),
    /// Text that is neither an option nor a PEP 508 requirement (a local path,
    /// a bare URL, or malformed text).
    Unparsed(RequirementError),
}

/// A parsed requirements file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequirementsFile {
    pub entries: Vec<Entry>,
    /// The file's dominant line ending (`"\n"` when it has none).
    pub line_ending: &'static str,
    /// Whether the text ends with a line ending (or is empty).
    pub ends_with_newline: bool,
}

impl RequirementsFile {
    /// The requirement entries with their requirement.
    pub fn requirements(&self) -> impl Iterator<Item = (&Entry, &Requirement)> {
        self.entries.iter().filter_map(|e| match &e.kind {
            EntryKind::Requirement { requirement, .. } => Some((e, requirement)),
            _ => None,
        })
    }
}

/// The dominant line ending of a text: `"\r\n"` when most lines end so.
pub fn detect_line_ending(text: &str) -> &'static str {
    let crlf = text.matches("\r\n").count();
    let lf = text.matches('\n').count() - crlf;
    if crlf > lf { "\r\n" } else { "\n" }
}

/// Where a pip comment starts: `#` at the start or after whitespace; the
/// whitespace before it is part of the comment.
fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let hash = (0..bytes.len())
        .find(|&i| bytes[i] == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()))?;
    let mut start = hash;
    while start > 0 && bytes[start - 1].is_ascii_whitespace() {
        start -= 1;
    }
    Some(start)
}

/// Parses a requirements file. Never fails: lines that are not requirements are
/// kept as [`EntryKind::Option`] or [`EntryKind::Unparsed`].
pub fn parse(text: &str) -> RequirementsFile {
    let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut entries = Vec::new();
    // The logical line being assembled, with the original offset of each byte.
    let mut logical = String::new();
    let mut map: Vec<usize> = Vec::new();
    let mut first_line = 0usize;
    let mut first_start = 0usize;
    let mut in_logical = false;

    let mut offset = body_start;
    let mut line_no = 0usize;
    while offset < text.len() {
        line_no += 1;
        let rest = &text[offset..];
        let (content_len, eol_len) = match rest.find('\n') {
            Some(i) if i > 0 && rest.as_bytes()[i - 1] == b'\r' => (i - 1, 2),
            Some(i) => (i, 1),
            None => (rest.len(), 0),
        };
        let content = &rest[..content_len];
        let line_start = offset;
        offset += content_len + eol_len;
        if !in_logical {
            in_logical = true;
            first_line = line_no;
            first_start = line_start;
        }
        let continues = content.ends_with('\\') && comment_start(content).is_none();
        let kept = if continues {
            &content[..content.len() - 1]
        } else {
            content
        };
        logical.push_str(kept);
        map.extend(line_start..line_start + kept.len());
        if continues && offset < text.len() {
            continue;
        }
        let range = first_start..line_start + content_len;
        let full_range = first_start..offset;
        if let Some(kind) = classify_logical(&logical, &map) {
            entries.push(Entry {
                line: first_line,
                range,
                full_range,
                kind,
            });
        }
        logical.clear();
        map.clear();
        in_logical = false;
    }

    RequirementsFile {
        entries,
        line_ending: detect_line_ending(text),
        ends_with_newline: text.is_empty() || text.ends_with('\n'),
    }
}

fn classify_logical(logical: &str, map: &[usize]) -> Option<EntryKind> {
    let uncommented = match comment_start(logical) {
        Some(i) => &logical[..i],
        None => logical,
    };
    let trimmed = uncommented.trim();
    if trimmed.is_empty() {
        return None;
    }
    let lead = uncommented.len() - uncommented.trim_start().len();
    if trimmed.starts_with('-') {
        return Some(classify_option(trimmed));
    }
    // Options after the requirement start at the first whitespace-preceded `-` token.
    let bytes = trimmed.as_bytes();
    let options_at = (1..bytes.len())
        .find(|&i| bytes[i] == b'-' && bytes[i - 1].is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let requirement_text = trimmed[..options_at].trim_end();
    let hashes = trimmed[options_at..].contains("--hash");
    Some(match parse_requirement(requirement_text, lead) {
        Ok(mut requirement) => {
            let contiguous = remap(&mut requirement, map);
            EntryKind::Requirement {
                requirement,
                hashes,
                contiguous,
            }
        }
        Err(err) => EntryKind::Unparsed(err),
    })
}

fn classify_option(option: &str) -> EntryKind {
    for (flags, constraint) in [
        (["-r", "--requirement"], false),
        (["-c", "--constraint"], true),
    ] {
        for flag in flags {
            let Some(rest) = option.strip_prefix(flag) else {
                continue;
            };
            let path = rest.strip_prefix('=').unwrap_or(rest).trim();
            // `-rfile` is accepted by pip too; `--requirementx` is not this flag.
            if flag.starts_with("--") && !(rest.starts_with('=') || rest.starts_with([' ', '\t'])) {
                continue;
            }
            if !path.is_empty() {
                return EntryKind::Include {
                    constraint,
                    path: path.to_string(),
                };
            }
        }
    }
    EntryKind::Option(option.to_string())
}

/// Maps every range of `requirement` from logical-line offsets to file offsets.
/// Returns whether the requirement is contiguous in the file.
fn remap(requirement: &mut Requirement, map: &[usize]) -> bool {
    let to_file = |r: &Range<usize>| -> Range<usize> {
        if r.is_empty() {
            let at = map
                .get(r.start)
                .copied()
                .or_else(|| map.last().map(|m| m + 1))
                .unwrap_or(0);
            return at..at;
        }
        map[r.start]..map[r.end - 1] + 1
    };
    let whole = to_file(&requirement.range);
    let contiguous = whole.len() == requirement.range.len();
    requirement.range = whole;
    requirement.name_range = to_file(&requirement.name_range);
    for clause in &mut requirement.clauses {
        clause.op_range = to_file(&clause.op_range);
        clause.version_range = to_file(&clause.version_range);
    }
    for r in [
        &mut requirement.specifier_range,
        &mut requirement.marker_range,
        &mut requirement.url_range,
    ]
    .into_iter()
    .flatten()
    {
        *r = to_file(r);
    }
    contiguous
}

/// Appends `requirement` as a new line, following the file's line endings.
/// Returns `None` when the file already lists a package of that name.
pub fn add_requirement(text: &str, requirement: &str) -> Option<String> {
    let wanted = parse_requirement(requirement, 0).ok()?.normalized;
    let file = parse(text);
    if file.requirements().any(|(_, r)| r.normalized == wanted) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + requirement.len() + 2);
    out.push_str(text);
    if !file.ends_with_newline {
        out.push_str(file.line_ending);
    }
    out.push_str(requirement);
    out.push_str(file.line_ending);
    Some(out)
}

/// The development requirements file that goes with a production one:
/// `requirements-dev.txt` beside `requirements.txt`, `requirements/dev.txt`
/// for files in a `requirements/` folder.
pub fn development_file_for(production: &Path) -> PathBuf {
    let dir = production.parent().unwrap_or(Path::new(""));
    let in_folder = dir
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.eq_ignore_ascii_case("requirements"));
    dir.join(if in_folder {
        "dev.txt"
    } else {
        "requirements-dev.txt"
    })
}

/// A line to add to a development requirements file, creating the file
/// (with `-r <production file>` first) when it does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevFileAddition {
    pub path: PathBuf,
    /// The production file, as the `-r` include of a new development file.
    pub include: String,
    /// The requirement line, copied from the production file.
    pub line: String,
    /// PEP 503 normalised package name.
    pub package: String,
    /// The production file's line ending, used when the file is created.
    pub line_ending: &'static str,
}

impl DevFileAddition {
    /// The development file's new text, given its current text (`None` when it
    /// does not exist); `None` when it already lists the package.
    pub fn apply(&self, existing: Option<&str>) -> Option<String> {
        let Some(existing) = existing else {
            let eol = self.line_ending;
            return Some(format!("-r {}{eol}{}{eol}", self.include, self.line));
        };
        let file = parse(existing);
        if file
            .requirements()
            .any(|(_, r)| r.normalized == self.package)
        {
            return None;
        }
        let mut out = existing.to_string();
        if !file.ends_with_newline {
            out.push_str(file.line_ending);
        }
        out.push_str(&self.line);
        out.push_str(file.line_ending);
        Some(out)
    }
}

/// The edit that removes `entry` (all its physical lines) from the file, and
/// the addition that puts its text into the development file.
pub fn move_to_development_file(
    production: &Path,
    text: &str,
    entry: &Entry,
    package: &str,
) -> (Edit, DevFileAddition) {
    let include = production
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("requirements.txt")
        .to_string();
    let addition = DevFileAddition {
        path: development_file_for(production),
        include,
        line: text[entry.range.clone()].to_string(),
        package: package.to_string(),
        line_ending: detect_line_ending(text),
    };
    (Edit::delete_bytes(entry.full_range.clone()), addition)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deps::requirement::Op;

    fn req(entry: &Entry) -> &Requirement {
        match &entry.kind {
            EntryKind::Requirement { requirement, .. } => requirement,
            other => panic!("not a requirement: {other:?}"),
        }
    }

    #[test]
    fn parses_requirements_comments_and_includes() {
        let text = "# base deps\n-r common.txt\n--constraint=constraints.txt\nFlask==2.2.2  # pinned\n\n--index-url https://pypi.org/simple\nflask_cors>=3.0 ; python_version>='3.8'\n";
        let file = parse(text);
        assert_eq!(file.entries.len(), 5);
        assert_eq!(
            file.entries[0].kind,
            EntryKind::Include {
                constraint: false,
                path: "common.txt".into()
            }
        );
        assert_eq!(
            file.entries[1].kind,
            EntryKind::Include {
                constraint: true,
                path: "constraints.txt".into()
            }
        );
        let flask = req(&file.entries[2]);
        assert_eq!(file.entries[2].line, 4);
        assert_eq!(&text[flask.range.clone()], "Flask==2.2.2");
        assert_eq!(&text[flask.clauses[0].version_range.clone()], "2.2.2");
        assert_eq!(
            &text[file.entries[2].range.clone()],
            "Flask==2.2.2  # pinned"
        );
        assert_eq!(
            file.entries[3].kind,
            EntryKind::Option("--index-url https://pypi.org/simple".into())
        );
        let cors = req(&file.entries[4]);
        assert_eq!(cors.normalized, "flask-cors");
        assert_eq!(
            &text[cors.marker_range.clone().unwrap()],
            "python_version>='3.8'"
        );
        assert_eq!(file.line_ending, "\n");
        assert!(file.ends_with_newline);
    }

    #[test]
    fn crlf_bom_and_missing_final_newline() {
        let text = "\u{feff}werkzeug==2.2.2\r\njinja2~=3.1.0\r\ngunicorn>=20";
        let file = parse(text);
        assert_eq!(file.line_ending, "\r\n");
        assert!(!file.ends_with_newline);
        let names: Vec<_> = file
            .requirements()
            .map(|(_, r)| r.normalized.clone())
            .collect();
        assert_eq!(names, ["werkzeug", "jinja2", "gunicorn"]);
        let (first, w) = file.requirements().next().unwrap();
        assert_eq!(&text[w.clauses[0].version_range.clone()], "2.2.2");
        assert_eq!(&text[first.full_range.clone()], "werkzeug==2.2.2\r\n");
        let (last, g) = file.requirements().nth(2).unwrap();
        assert_eq!(g.clauses[0].op, Op::GreaterEqual);
        assert_eq!(&text[last.full_range.clone()], "gunicorn>=20");
    }

    #[test]
    fn hashes_and_continuations() {
        let text = "flask==2.2.2 \\\n    --hash=sha256:abc \\\n    --hash=sha256:def\nitsdangerous==2.1.2\n";
        let file = parse(text);
        assert_eq!(file.entries.len(), 2);
        let EntryKind::Requirement {
            requirement,
            hashes,
            contiguous,
        } = &file.entries[0].kind
        else {
            panic!("expected a requirement");
        };
        assert!(*hashes && *contiguous);
        assert_eq!(&text[requirement.clauses[0].version_range.clone()], "2.2.2");
        assert_eq!(file.entries[0].line, 1);
        assert_eq!(file.entries[1].line, 4);
        assert_eq!(
            &text[file.entries[0].full_range.clone()],
            "flask==2.2.2 \\\n    --hash=sha256:abc \\\n    --hash=sha256:def\n"
        );
    }

    #[test]
    fn a_requirement_split_by_a_continuation_is_not_contiguous() {
        let text = "flask==\\\n2.2.2\n";
        let file = parse(text);
        let EntryKind::Requirement {
            requirement,
            contiguous,
            ..
        } = &file.entries[0].kind
        else {
            panic!("expected a requirement");
        };
        assert!(!contiguous);
        assert_eq!(requirement.clauses[0].version, "2.2.2");
        assert_eq!(&text[requirement.clauses[0].version_range.clone()], "2.2.2");
    }

    #[test]
    fn a_comment_ending_in_backslash_does_not_continue() {
        let text = "# note \\\nflask==2.2.2\n";
        let file = parse(text);
        assert_eq!(file.entries.len(), 1);
        assert_eq!(file.entries[0].line, 2);
    }

    #[test]
    fn hash_inside_a_url_fragment_is_not_a_comment_but_paths_are_unparsed() {
        let file = parse("./local/pkg\npkg @ https://example.com/p.whl#sha256=abc\n-e .\n");
        assert!(matches!(file.entries[0].kind, EntryKind::Unparsed(_)));
        let r = req(&file.entries[1]);
        assert!(r.url_range.is_some());
        assert_eq!(file.entries[2].kind, EntryKind::Option("-e .".into()));
    }

    #[test]
    fn dominant_line_ending() {
        assert_eq!(detect_line_ending(""), "\n");
        assert_eq!(detect_line_ending("a\r\nb\r\nc\n"), "\r\n");
        assert_eq!(detect_line_ending("a\nb\nc\r\n"), "\n");
    }

    #[test]
    fn add_requirement_follows_line_endings() {
        assert_eq!(
            add_requirement("flask==3.1.3\r\n# end\r\n", "flask-talisman>=1.1.0").unwrap(),
            "flask==3.1.3\r\n# end\r\nflask-talisman>=1.1.0\r\n"
        );
        assert_eq!(
            add_requirement("flask==3.1.3", "pydantic>=2.14.4").unwrap(),
            "flask==3.1.3\npydantic>=2.14.4\n"
        );
        assert_eq!(add_requirement("", "pydantic").unwrap(), "pydantic\n");
        assert_eq!(
            add_requirement("Flask_Limiter==4.1.1\n", "flask-limiter>=4"),
            None
        );
    }

    #[test]
    fn development_file_paths() {
        assert_eq!(
            development_file_for(Path::new("requirements.txt")),
            PathBuf::from("requirements-dev.txt")
        );
        assert_eq!(
            development_file_for(Path::new("app/requirements.txt")),
            PathBuf::from("app/requirements-dev.txt")
        );
        assert_eq!(
            development_file_for(Path::new("requirements/base.txt")),
            PathBuf::from("requirements/dev.txt")
        );
    }

    #[test]
    fn move_toolbar_line_to_new_and_existing_dev_files() {
        let text = "flask==3.1.3\r\nflask-debugtoolbar==0.16.0  # debug\r\ngunicorn==23.0.0\r\n";
        let file = parse(text);
        let entry = &file.entries[1];
        let (edit, addition) = move_to_development_file(
            Path::new("requirements.txt"),
            text,
            entry,
            "flask-debugtoolbar",
        );
        let production = crate::deps::edit::apply_edits(text, &[edit]).unwrap();
        assert_eq!(production, "flask==3.1.3\r\ngunicorn==23.0.0\r\n");
        assert_eq!(addition.path, PathBuf::from("requirements-dev.txt"));
        assert_eq!(
            addition.apply(None).unwrap(),
            "-r requirements.txt\r\nflask-debugtoolbar==0.16.0  # debug\r\n"
        );
        assert_eq!(
            addition.apply(Some("pytest==8.3.0")).unwrap(),
            "pytest==8.3.0\nflask-debugtoolbar==0.16.0  # debug\n"
        );
        assert_eq!(addition.apply(Some("Flask-DebugToolbar\n")), None);
    }
}
