//! Edit builders shared by rules that attach fixes: statements inserted
//! before or after a statement with its indentation, arguments appended to a
//! call, the current statement deleted; and the module's own layout (line
//! ending, indentation unit, the project's line length) so inserted code
//! matches it. Imports are added by [`imports`](super::imports).

use ruff_python_ast::Stmt;
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::context::ModuleContext;
use super::diagnostic::Edit;

/// The line ending the file uses (`\r\n` when its first line break is CRLF).
pub fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        // Classic Mac line endings: lines end with a lone CR.
        None if text.contains('\r') => "\r",
        _ => "\n",
    }
}

/// Inserts `line` on a new line after `stmt`, with the statement's indentation
/// (a multi-line `line` keeps its own relative indentation on every line).
pub fn insert_after_statement(ctx: ModuleContext<'_>, stmt: &Stmt, line: &str) -> Option<Edit> {
    let source = ctx.source();
    let indent = statement_indent(ctx, stmt);
    let eol = line_ending(source.text());
    let end = source.line_range(stmt.end()).end();
    Some(Edit::insertion(
        format!("{eol}{indent}{}", indent_lines(line, &indent, eol)),
        end,
    ))
}

/// The indentation (spaces or tabs) of the line `stmt` starts on.
pub fn statement_indent(ctx: ModuleContext<'_>, stmt: &Stmt) -> String {
    let source = ctx.source();
    let line_start = source.line_range(stmt.start()).start();
    source.text()[line_start.to_usize()..stmt.start().to_usize()]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// `text` with every line after the first indented by `indent`, and `\n`
/// replaced by the file's line ending.
pub fn indent_lines(text: &str, indent: &str, eol: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str(eol);
            // Blank lines stay empty (no trailing whitespace).
            if !line.is_empty() {
                out.push_str(indent);
            }
        }
        out.push_str(line);
    }
    out
}

/// One indentation level of the file: a tab when its first indented line
/// starts with one, else the number of spaces of its first indented block
/// (4 when nothing is indented).
pub fn indent_unit(text: &str) -> String {
    let mut opener: Option<usize> = None;
    for line in text.lines() {
        let trimmed = line.trim_start_matches([' ', '\t']);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let width = line.len() - trimmed.len();
        if let Some(base) = opener
            && width > base
        {
            if line.starts_with('\t') {
                return "\t".to_owned();
            }
            return " ".repeat(width - base);
        }
        opener = trimmed.trim_end().ends_with(':').then_some(width);
    }
    "    ".to_owned()
}

/// A call written one argument per line, as ruff format writes a call that does
/// not fit on one line: `callee(`, each argument indented by `unit` with a
/// trailing comma, `)`. Arguments may span lines (`\n`, relative indentation).
pub fn call_block(callee: &str, arguments: &[String], unit: &str) -> String {
    let mut text = format!("{callee}(\n");
    for argument in arguments {
        text.push_str(unit);
        text.push_str(&argument.replace('\n', &format!("\n{unit}")));
        text.push_str(",\n");
    }
    text.push(')');
    text
}

/// An edit inserting `line` on its own line just before `stmt`, with the same
/// indentation (used for `return app` in an application factory).
pub fn insert_before_statement(ctx: ModuleContext<'_>, stmt: &Stmt, line: &str) -> Edit {
    let source = ctx.source();
    let line_start = source.line_range(stmt.start()).start();
    let indent = statement_indent(ctx, stmt);
    let eol = line_ending(source.text());
    Edit::insertion(
        format!("{indent}{}{eol}", indent_lines(line, &indent, eol)),
        line_start,
    )
}

/// Deletes the current statement with its whole lines, when that is certain to
/// leave valid code: the statement is alone on its lines (a trailing comment
/// goes with it) and its body (module, class or function) has other statements.
pub fn delete_current_statement(ctx: ModuleContext<'_>) -> Option<Edit> {
    let semantic = ctx.semantic();
    let stmt = semantic.current_statement()?;
    let body: &[Stmt] = match semantic.parent_statement() {
        None => ctx.parsed().suite(),
        Some(Stmt::ClassDef(class)) => &class.body,
        Some(Stmt::FunctionDef(function)) => &function.body,
        Some(_) => return None,
    };
    if body.len() < 2 {
        return None;
    }
    let source = ctx.source();
    let first = source.line_range(stmt.start());
    let last = source.line_range(stmt.end());
    let before = &source.text()[TextRange::new(first.start(), stmt.start())];
    let after = source.text()[TextRange::new(stmt.end(), last.end())].trim_start();
    if !before.trim_start_matches('\u{feff}').trim().is_empty()
        || !(after.is_empty() || after.starts_with('#'))
    {
        return None;
    }
    let next_line = source.line_col(last.start()).line + 1;
    let end = if next_line <= source.line_count() {
        source.line_start(next_line)
    } else {
        TextSize::try_from(source.text().len()).ok()?
    };
    Some(Edit::deletion(TextRange::new(
        first.start(),
        end.max(last.end()),
    )))
}

/// Appends `text` (e.g. `secure=True`) as new arguments at the end of a call's
/// argument list, after the last argument (or inside empty parentheses).
pub fn append_arguments(arguments: &ruff_python_ast::Arguments, text: &str) -> Edit {
    ArgumentsEnd::of(arguments).append(text)
}

/// Where new arguments go in a call's argument list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgumentsEnd {
    /// After the last argument, which ends here.
    After(TextSize),
    /// Inside empty parentheses, before the `)` here.
    Empty(TextSize),
}

impl ArgumentsEnd {
    /// The end of `arguments`.
    pub fn of(arguments: &ruff_python_ast::Arguments) -> Self {
        let last_end = arguments
            .args
            .iter()
            .map(Ranged::end)
            .chain(arguments.keywords.iter().map(Ranged::end))
            .max();
        match last_end {
            Some(end) => Self::After(end),
            None => Self::Empty(arguments.end() - TextSize::from(1)),
        }
    }

    /// The edit appending `text` as new arguments.
    pub fn append(self, text: &str) -> Edit {
        match self {
            Self::After(end) => Edit::insertion(format!(", {text}"), end),
            Self::Empty(close) => Edit::insertion(text, close),
        }
    }
}

/// The line length the project's formatter or linter enforces: `line-length`
/// of `[tool.ruff]`/`[tool.black]` (pyproject.toml, ruff.toml) or flake8's
/// `max-line-length` (setup.cfg, tox.ini, .flake8), looked up from the
/// module's folder to its project folder; 88 (ruff's and black's default)
/// when none is set, 79 when flake8 is configured without one.
pub fn project_line_length(ctx: ModuleContext<'_>) -> usize {
    static RUFF: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?m)^\s*line[-_]length\s*=\s*([0-9]+)").expect("valid regex")
    });
    static FLAKE8: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?m)^\s*max[-_]line[-_]length\s*=\s*([0-9]+)").expect("valid regex")
    });
    let path = ctx.source().path();
    let root = super::csp::project_dir(path);
    let mut dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(
            || std::path::PathBuf::from("."),
            std::path::Path::to_path_buf,
        );
    let parse = |re: &regex::Regex, text: &str| {
        re.captures(text)
            .and_then(|c| c[1].parse::<usize>().ok())
            .filter(|n| (40..=400).contains(n))
    };
    loop {
        for name in ["pyproject.toml", "ruff.toml", ".ruff.toml"] {
            if let Ok(text) = std::fs::read_to_string(dir.join(name))
                && let Some(n) = parse(&RUFF, &text)
            {
                return n;
            }
        }
        for name in [".flake8", "setup.cfg", "tox.ini"] {
            if let Ok(text) = std::fs::read_to_string(dir.join(name))
                && text.contains("[flake8]")
            {
                return parse(&FLAKE8, &text).unwrap_or(79);
            }
        }
        if dir == root {
            return 88;
        }
        match dir.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => dir = parent.to_path_buf(),
            _ => return 88,
        }
    }
}
