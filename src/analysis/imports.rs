//! Import edits for fixes. An [`ImportPlan`] collects the names a fix's new code
//! needs (`import os`, `from flask import current_app`), answers with the
//! expression to write for each (an existing module-level import is reused,
//! aliases included: with `from flask import jsonify as J` the answer is `J`),
//! and turns what is missing into as few edits as possible, placed the way
//! isort/ruff would: names join an existing `from module import ...` in sorted
//! position; new statements go into the leading import block, in their section
//! (standard library, third party, first party, local), sorted by module.
//! [`ensure_import`] and [`ensure_from_import`] are the one-name forms.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};

use super::autofix::line_ending;
use super::context::ModuleContext;
use super::diagnostic::Edit;

/// The names a fix needs imported in one module, and the edits that add the
/// missing ones.
pub struct ImportPlan<'a> {
    ctx: ModuleContext<'a>,
    modules: Vec<String>,
    names: BTreeMap<String, Vec<String>>,
}

impl<'a> ImportPlan<'a> {
    /// An empty plan for the module `ctx` walks.
    pub fn new(ctx: ModuleContext<'a>) -> Self {
        Self {
            ctx,
            modules: Vec::new(),
            names: BTreeMap::new(),
        }
    }

    fn suite(&self) -> &'a [Stmt] {
        self.ctx.parsed().suite()
    }

    /// Needs `import module`; returns the expression that names the module
    /// (`os`, or the alias of an existing `import os as o`).
    pub fn module(&mut self, module: &str) -> String {
        for stmt in self.suite() {
            if let Stmt::Import(import) = stmt {
                for alias in &import.names {
                    if alias.name.as_str() == module {
                        return alias.asname.as_ref().unwrap_or(&alias.name).to_string();
                    }
                }
            }
        }
        if !self.modules.iter().any(|m| m == module) {
            self.modules.push(module.to_owned());
        }
        module.to_owned()
    }

    /// Needs `module` bound under its own name (code written as `os.environ`):
    /// an aliased `import os as o` does not count, `import os` is added then.
    pub fn module_as_is(&mut self, module: &str) {
        let bound = self.suite().iter().any(|stmt| {
            matches!(stmt, Stmt::Import(import) if import.names.iter().any(|a| {
                a.name.as_str() == module && a.asname.as_ref().is_none_or(|x| x.as_str() == module)
            }))
        });
        if !bound && !self.modules.iter().any(|m| m == module) {
            self.modules.push(module.to_owned());
        }
    }

    /// Needs `name` from `module` bound under its own name (code written as
    /// `request.headers`): added even when only an alias of it is imported.
    pub fn name_as_is(&mut self, module: &str, name: &str) {
        if self.name(module, name) != name {
            let names = self.names.entry(module.to_owned()).or_default();
            if !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
        }
    }

    /// Needs `name` from `module`; returns the expression to write for it: the
    /// local name of an existing module-level import (alias included), `m.name`
    /// when only `import module` exists, or `name` (added to the plan).
    pub fn name(&mut self, module: &str, name: &str) -> String {
        let mut star = false;
        let mut module_alias = None;
        for stmt in self.suite() {
            match stmt {
                Stmt::ImportFrom(from)
                    if from.level == 0 && from.module.as_deref() == Some(module) =>
                {
                    for alias in &from.names {
                        if alias.name.as_str() == name {
                            return alias.asname.as_ref().unwrap_or(&alias.name).to_string();
                        }
                        star |= alias.name.as_str() == "*";
                    }
                }
                Stmt::Import(import) => {
                    for alias in &import.names {
                        if alias.name.as_str() == module {
                            module_alias =
                                Some(alias.asname.as_ref().unwrap_or(&alias.name).to_string());
                        }
                    }
                }
                _ => {}
            }
        }
        if star && self.resolves_to(name, module) {
            return name.to_owned();
        }
        if self.bound_at_module_level(name) {
            // `name` means something else here: use the module's attribute.
            let prefix = module_alias.unwrap_or_else(|| self.module(module));
            return format!("{prefix}.{name}");
        }
        let names = self.names.entry(module.to_owned()).or_default();
        if !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
        name.to_owned()
    }

    fn resolves_to(&self, name: &str, module: &str) -> bool {
        let expr = Expr::Name(ast::ExprName {
            node_index: ast::AtomicNodeIndex::NONE,
            range: ruff_text_size::TextRange::default(),
            id: name.into(),
            ctx: ast::ExprContext::Load,
        });
        self.ctx
            .semantic()
            .resolve_qualified_name(&expr)
            .is_some_and(|q| q.dotted() == format!("{module}.{name}"))
    }

    /// Whether a module-level statement binds `name`.
    fn bound_at_module_level(&self, name: &str) -> bool {
        bound_in(self.suite(), name)
    }

    /// The edits adding every missing import (empty when nothing is missing).
    pub fn edits(self) -> Vec<Edit> {
        let ctx = self.ctx;
        let eol = line_ending(ctx.source().text());
        let mut edits = Vec::new();
        let mut new_statements: Vec<NewStatement> = Vec::new();
        let sections = Sections {
            file: ctx.source().path().to_path_buf(),
        };
        let suite = ctx.parsed().suite();
        for (module, mut names) in self.names {
            names.sort_by_key(|n| name_key(n));
            let existing = suite.iter().find_map(|stmt| match stmt {
                Stmt::ImportFrom(from)
                    if from.level == 0
                        && from.module.as_deref() == Some(module.as_str())
                        && !from.names.iter().any(|a| a.name.as_str() == "*") =>
                {
                    Some(from)
                }
                _ => None,
            });
            match existing {
                Some(from) => edits.extend(add_names(ctx, from, &names)),
                None => new_statements.push(NewStatement {
                    key: StatementKey::new(&sections, &module, true, 0),
                    text: format!("from {module} import {}", names.join(", ")),
                }),
            }
        }
        for module in self.modules {
            new_statements.push(NewStatement {
                key: StatementKey::new(&sections, &module, false, 0),
                text: format!("import {module}"),
            });
        }
        edits.extend(place_statements(ctx, new_statements, eol));
        edits
    }
}

/// Whether a statement of `body` binds `name` (import, assignment, function
/// or class).
pub(crate) fn bound_in(body: &[Stmt], name: &str) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::Import(import) => import.names.iter().any(|a| {
            a.asname.as_ref().map_or_else(
                || a.name.as_str().split('.').next() == Some(name),
                |asname| asname.as_str() == name,
            )
        }),
        Stmt::ImportFrom(from) => from
            .names
            .iter()
            .any(|a| a.asname.as_ref().unwrap_or(&a.name).as_str() == name),
        Stmt::Assign(assign) => assign
            .targets
            .iter()
            .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)),
        Stmt::AnnAssign(assign) => {
            matches!(&*assign.target, Expr::Name(n) if n.id.as_str() == name)
        }
        Stmt::FunctionDef(def) => def.name.as_str() == name,
        Stmt::ClassDef(class) => class.name.as_str() == name,
        _ => false,
    })
}

/// Makes `module` importable under its own name: `None` when a module-level
/// `import module` (not an alias) exists, else the edit adding it where isort
/// would.
pub fn ensure_import(ctx: ModuleContext<'_>, module: &str) -> Option<Edit> {
    let mut plan = ImportPlan::new(ctx);
    plan.module_as_is(module);
    plan.edits().into_iter().next()
}

/// Makes `name` importable from `module` under its own name: `None` when a
/// module-level import already binds it; else an edit adding it to the module's
/// `from module import ...` in sorted position, or a new import statement.
/// Fixes that need several names use an [`ImportPlan`] (one edit per statement,
/// aliases reused).
pub fn ensure_from_import(ctx: ModuleContext<'_>, module: &str, name: &str) -> Option<Edit> {
    let mut plan = ImportPlan::new(ctx);
    plan.name_as_is(module, name);
    plan.edits().into_iter().next()
}

/// An expression that is true except while the application is under test,
/// evaluated each time it is read (`bool()` of a Werkzeug `LocalProxy`), so a
/// `TESTING = True` set after the app is built still counts; plus the imports
/// it needs. Flask-WTF and flask-talisman read the switches it replaces on
/// every request, so a security switch turned back on keeps an existing test
/// suite (plain-http test client, no CSRF tokens) green.
pub fn on_unless_testing(plan: &mut ImportPlan) -> String {
    let local_proxy = plan.name("werkzeug.local", "LocalProxy");
    let current_app = plan.name("flask", "current_app");
    format!("{local_proxy}(lambda: not {current_app}.testing)")
}

/// Whether `top` is a top-level module of the standard library.
pub(crate) fn is_standard_library(top: &str) -> bool {
    STANDARD_LIBRARY.binary_search(&top).is_ok()
}

/// isort's sections, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    Future,
    StandardLibrary,
    ThirdParty,
    FirstParty,
    Local,
}

/// Classifies modules for one file: first party is a top-level package or
/// module found beside the file or in one of its parent folders (up to the
/// project root marker).
struct Sections {
    file: PathBuf,
}

impl Sections {
    fn of(&self, module: &str, level: u32) -> Section {
        if level > 0 {
            return Section::Local;
        }
        let top = module.split('.').next().unwrap_or(module);
        if top == "__future__" {
            Section::Future
        } else if STANDARD_LIBRARY.binary_search(&top).is_ok() {
            Section::StandardLibrary
        } else if self.is_first_party(top) {
            Section::FirstParty
        } else {
            Section::ThirdParty
        }
    }

    fn is_first_party(&self, top: &str) -> bool {
        if self.file.as_os_str().is_empty() {
            return false;
        }
        // Memoized per folder and name: the same imports recur in every module.
        static SEEN: std::sync::OnceLock<
            std::sync::Mutex<std::collections::HashMap<(PathBuf, String), bool>>,
        > = std::sync::OnceLock::new();
        let file = std::path::absolute(&self.file).unwrap_or_else(|_| self.file.clone());
        let key = (
            file.parent().map(Path::to_path_buf).unwrap_or_default(),
            top.to_owned(),
        );
        let seen = SEEN.get_or_init(Default::default);
        if let Some(known) = seen.lock().ok().and_then(|m| m.get(&key).copied()) {
            return known;
        }
        let found = Self::search_first_party(&file, top);
        if let Ok(mut map) = seen.lock() {
            map.insert(key, found);
        }
        found
    }

    fn search_first_party(file: &Path, top: &str) -> bool {
        let mut dir: Option<&Path> = file.parent();
        for _ in 0..6 {
            let Some(current) = dir else { break };
            if current.join(top).is_dir() || current.join(format!("{top}.py")).is_file() {
                return true;
            }
            if ["pyproject.toml", "setup.py", "setup.cfg", ".git"]
                .iter()
                .any(|marker| current.join(marker).exists())
            {
                break;
            }
            dir = current.parent();
        }
        false
    }
}

/// How isort orders statements: by section, `import x` before `from x import`,
/// then by module name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct StatementKey {
    section: Section,
    from: bool,
    module: String,
}

impl StatementKey {
    /// The key of one written import line (`import os`, `from .x import y`),
    /// without the file system: unknown absolute modules count as third party.
    pub(crate) fn of_line(line: &str) -> Self {
        let sections = Sections {
            file: PathBuf::new(),
        };
        let from = line.starts_with("from ");
        let module = line.split_whitespace().nth(1).unwrap_or_default();
        let level = module.len() - module.trim_start_matches('.').len();
        Self::new(
            &sections,
            module.trim_start_matches('.'),
            from,
            u32::try_from(level).unwrap_or(u32::MAX),
        )
    }

    fn new(sections: &Sections, module: &str, from: bool, level: u32) -> Self {
        Self {
            section: sections.of(module, level),
            from,
            module: format!(
                "{}{}",
                ".".repeat(level as usize),
                module.to_ascii_lowercase()
            ),
        }
    }

    fn of(sections: &Sections, stmt: &Stmt) -> Option<Self> {
        match stmt {
            Stmt::Import(import) => {
                let first = import.names.first()?;
                Some(Self::new(sections, first.name.as_str(), false, 0))
            }
            Stmt::ImportFrom(from) => Some(Self::new(
                sections,
                from.module.as_deref().unwrap_or(""),
                true,
                from.level,
            )),
            _ => None,
        }
    }
}

struct NewStatement {
    key: StatementKey,
    text: String,
}

/// isort's `order-by-type` key of an imported name (`Any`, `os`, `A as B`).
pub(crate) fn name_sort_key(name: &str) -> (u8, String, String) {
    name_key(name.split(" as ").next().unwrap_or(name).trim())
}

/// isort's `order-by-type`: CONSTANTS, then Classes, then other names.
fn name_key(name: &str) -> (u8, String, String) {
    let kind = if name.len() > 1 && name.chars().all(|c| !c.is_lowercase()) {
        0
    } else if name.chars().next().is_some_and(char::is_uppercase) {
        1
    } else {
        2
    };
    (kind, name.to_ascii_lowercase(), name.to_owned())
}

/// Whether only whitespace precedes `offset` on its line (a name of a
/// parenthesized import written one per line).
fn starts_line(ctx: ModuleContext<'_>, offset: TextSize) -> Option<String> {
    let source = ctx.source();
    let line = source.line_range(offset);
    let before = &source.text()[line.start().to_usize()..offset.to_usize()];
    before
        .chars()
        .all(|c| c == ' ' || c == '\t')
        .then(|| before.to_owned())
}

/// A one-line `from module import ...` that the added names would push past
/// the project's line length, rewritten as isort wraps it: one name a line in
/// parentheses, with a trailing comma.
fn rewrap(ctx: ModuleContext<'_>, from: &ast::StmtImportFrom, added: &[String]) -> Option<Edit> {
    let source = ctx.source();
    let text = source.text();
    let statement = &text[from.range().start().to_usize()..from.range().end().to_usize()];
    if statement.contains('\n') || statement.contains('(') || statement.contains('\\') {
        return None;
    }
    let line_start = source.line_range(from.range().start()).start().to_usize();
    let indent = &text[line_start..from.range().start().to_usize()];
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let added_len: usize = added.iter().map(|n| n.len() + 2).sum();
    let line_end = source.line_range(from.range().end()).end().to_usize();
    let current = text[line_start..line_end].trim_end().chars().count();
    if current + added_len <= super::autofix::project_line_length(ctx) {
        return None;
    }
    let mut all: Vec<String> = from
        .names
        .iter()
        .map(|alias| {
            text[alias.range().start().to_usize()..alias.range().end().to_usize()].to_owned()
        })
        .chain(added.iter().cloned())
        .collect();
    all.sort_by_key(|n| name_key(n.split(" as ").next().unwrap_or(n)));
    all.dedup();
    let eol = line_ending(text);
    let unit = super::autofix::indent_unit(text);
    let module = format!(
        "{}{}",
        ".".repeat(from.level as usize),
        from.module.as_ref().map_or("", |m| m.as_str())
    );
    let mut out = format!("from {module} import ({eol}");
    for name in &all {
        out.push_str(&format!("{indent}{unit}{name},{eol}"));
    }
    out.push_str(&format!("{indent})"));
    Some(Edit::replacement(out, from.range()))
}

/// Edits adding `names` (sorted) to an existing `from module import ...`, each
/// in its sorted position.
pub(crate) fn add_names(
    ctx: ModuleContext<'_>,
    from: &ast::StmtImportFrom,
    names: &[String],
) -> Vec<Edit> {
    let eol = line_ending(ctx.source().text());
    let mut names = names.to_vec();
    names.sort_by_key(|n| name_key(n));
    if let Some(edit) = rewrap(ctx, from, &names) {
        return vec![edit];
    }
    let mut groups: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for name in &names {
        let key = name_key(name);
        let index = from
            .names
            .iter()
            .position(|alias| name_key(alias.name.as_str()) > key)
            .unwrap_or(from.names.len());
        groups.entry(index).or_default().push(name);
    }
    let mut edits = Vec::new();
    for (index, group) in groups {
        if let Some(next) = from.names.get(index) {
            // One edit per name: fixes adding the same name share the edit.
            let indent = starts_line(ctx, next.start());
            for n in group {
                let content = match &indent {
                    Some(indent) => format!("{n},{eol}{indent}"),
                    None => format!("{n}, "),
                };
                edits.push(Edit::insertion(content, next.start()));
            }
        } else if let Some(last) = from.names.last() {
            let indent = starts_line(ctx, last.start());
            for n in group {
                let content = match &indent {
                    Some(indent) => format!(",{eol}{indent}{n}"),
                    None => format!(", {n}"),
                };
                edits.push(Edit::insertion(content, last.end()));
            }
        }
    }
    edits
}

/// Where a new top-level import goes when there is no import block: the start
/// of the first statement that is not the docstring or a `__future__` import.
pub(crate) fn import_position(ctx: ModuleContext<'_>) -> TextSize {
    let source = ctx.source();
    let suite = ctx.parsed().suite();
    for (i, stmt) in suite.iter().enumerate() {
        let is_docstring =
            i == 0 && matches!(stmt, Stmt::Expr(e) if matches!(&*e.value, Expr::StringLiteral(_)));
        let is_future =
            matches!(stmt, Stmt::ImportFrom(f) if f.module.as_deref() == Some("__future__"));
        if !is_docstring && !is_future {
            return source.line_range(stmt.start()).start();
        }
    }
    suite
        .last()
        .map_or(TextSize::from(0), |s| source.line_range(s.end()).end())
}

/// Edits inserting new import statements into the leading import block.
fn place_statements(
    ctx: ModuleContext<'_>,
    mut statements: Vec<NewStatement>,
    eol: &str,
) -> Vec<Edit> {
    if statements.is_empty() {
        return Vec::new();
    }
    statements.sort_by(|a, b| a.key.cmp(&b.key));
    let source = ctx.source();
    let suite = ctx.parsed().suite();
    let sections = Sections {
        file: source.path().to_path_buf(),
    };
    let at = import_position(ctx);
    let block: Vec<(&Stmt, StatementKey)> = suite
        .iter()
        .skip_while(|s| s.start() < at)
        .map_while(|s| StatementKey::of(&sections, s).map(|k| (s, k)))
        .collect();
    if block.is_empty() {
        let text = join_sections(&statements, eol);
        if suite.iter().all(|s| s.start() < at) && at > TextSize::from(0) {
            // Only a docstring / future imports: after a blank line at the end.
            return vec![Edit::insertion(format!("{eol}{eol}{text}"), at)];
        }
        return vec![Edit::insertion(format!("{text}{eol}{eol}"), at)];
    }
    // Group by the block statement the new ones follow (None: before the first)
    // and by section, so each group is one run of lines in one section.
    let mut groups: BTreeMap<(Option<usize>, Section), Vec<NewStatement>> = BTreeMap::new();
    for statement in statements {
        let after = block.iter().rposition(|(_, key)| *key <= statement.key);
        groups
            .entry((after, statement.key.section))
            .or_default()
            .push(statement);
    }
    let mut edits = Vec::new();
    for ((after, section), group) in groups {
        let text = group
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(eol);
        let next = after.map_or(0, |i| i + 1);
        let previous_same = after.is_some_and(|i| block[i].1.section == section);
        match block.get(next) {
            Some((stmt, key)) if after.is_none() || (key.section == section && !previous_same) => {
                let gap = if key.section == section {
                    eol.to_owned()
                } else {
                    format!("{eol}{eol}")
                };
                edits.push(Edit::insertion(
                    format!("{text}{gap}"),
                    source.line_range(stmt.start()).start(),
                ));
            }
            _ => {
                // At the start of the line after the statement, so that a name
                // joined at the end of that statement stays before it.
                let (stmt, _) = block[after.expect("not before the first")];
                let gap = if previous_same { "" } else { eol };
                let line = source.line_col(stmt.end()).line;
                let line_end = source.line_range(stmt.end()).end();
                let next_line = source.line_start(line + 1);
                if line < source.line_count() && next_line > line_end {
                    edits.push(Edit::insertion(format!("{gap}{text}{eol}"), next_line));
                } else {
                    edits.push(Edit::insertion(format!("{eol}{gap}{text}"), line_end));
                }
            }
        }
    }
    edits
}

/// Statements on consecutive lines, a blank line between sections.
fn join_sections(statements: &[NewStatement], eol: &str) -> String {
    let mut text = String::new();
    for (i, statement) in statements.iter().enumerate() {
        if i > 0 {
            text.push_str(eol);
            if statements[i - 1].key.section != statement.key.section {
                text.push_str(eol);
            }
        }
        text.push_str(&statement.text);
    }
    text
}

/// Top-level modules of the Python 3.12 standard library (`sys.stdlib_module_names`
/// without private ones), sorted for binary search.
const STANDARD_LIBRARY: &[&str] = &[
    "abc",
    "aifc",
    "antigravity",
    "argparse",
    "array",
    "ast",
    "asynchat",
    "asyncio",
    "asyncore",
    "atexit",
    "audioop",
    "base64",
    "bdb",
    "binascii",
    "bisect",
    "builtins",
    "bz2",
    "cProfile",
    "calendar",
    "cgi",
    "cgitb",
    "chunk",
    "cmath",
    "cmd",
    "code",
    "codecs",
    "codeop",
    "collections",
    "colorsys",
    "compileall",
    "concurrent",
    "configparser",
    "contextlib",
    "contextvars",
    "copy",
    "copyreg",
    "crypt",
    "csv",
    "ctypes",
    "curses",
    "dataclasses",
    "datetime",
    "dbm",
    "decimal",
    "difflib",
    "dis",
    "distutils",
    "doctest",
    "email",
    "encodings",
    "ensurepip",
    "enum",
    "errno",
    "faulthandler",
    "fcntl",
    "filecmp",
    "fileinput",
    "fnmatch",
    "fractions",
    "ftplib",
    "functools",
    "gc",
    "genericpath",
    "getopt",
    "getpass",
    "gettext",
    "glob",
    "graphlib",
    "grp",
    "gzip",
    "hashlib",
    "heapq",
    "hmac",
    "html",
    "http",
    "idlelib",
    "imaplib",
    "imghdr",
    "imp",
    "importlib",
    "inspect",
    "io",
    "ipaddress",
    "itertools",
    "json",
    "keyword",
    "lib2to3",
    "linecache",
    "locale",
    "logging",
    "lzma",
    "mailbox",
    "mailcap",
    "marshal",
    "math",
    "mimetypes",
    "mmap",
    "modulefinder",
    "msilib",
    "msvcrt",
    "multiprocessing",
    "netrc",
    "nis",
    "nntplib",
    "nt",
    "ntpath",
    "nturl2path",
    "numbers",
    "opcode",
    "operator",
    "optparse",
    "os",
    "ossaudiodev",
    "pathlib",
    "pdb",
    "pickle",
    "pickletools",
    "pipes",
    "pkgutil",
    "platform",
    "plistlib",
    "poplib",
    "posix",
    "posixpath",
    "pprint",
    "profile",
    "pstats",
    "pty",
    "pwd",
    "py_compile",
    "pyclbr",
    "pydoc",
    "pydoc_data",
    "pyexpat",
    "queue",
    "quopri",
    "random",
    "re",
    "readline",
    "reprlib",
    "resource",
    "rlcompleter",
    "runpy",
    "sched",
    "secrets",
    "select",
    "selectors",
    "shelve",
    "shlex",
    "shutil",
    "signal",
    "site",
    "smtpd",
    "smtplib",
    "sndhdr",
    "socket",
    "socketserver",
    "spwd",
    "sqlite3",
    "sre_compile",
    "sre_constants",
    "sre_parse",
    "ssl",
    "stat",
    "statistics",
    "string",
    "stringprep",
    "struct",
    "subprocess",
    "sunau",
    "symtable",
    "sys",
    "sysconfig",
    "syslog",
    "tabnanny",
    "tarfile",
    "telnetlib",
    "tempfile",
    "termios",
    "textwrap",
    "this",
    "threading",
    "time",
    "timeit",
    "tkinter",
    "token",
    "tokenize",
    "tomllib",
    "trace",
    "traceback",
    "tracemalloc",
    "tty",
    "turtle",
    "turtledemo",
    "types",
    "typing",
    "unicodedata",
    "unittest",
    "urllib",
    "uu",
    "uuid",
    "venv",
    "warnings",
    "wave",
    "weakref",
    "webbrowser",
    "winreg",
    "winsound",
    "wsgiref",
    "xdrlib",
    "xml",
    "xmlrpc",
    "zipapp",
    "zipfile",
    "zipimport",
    "zlib",
    "zoneinfo",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::codes::RuleSet;
    use crate::analysis::context::FileContext;
    use crate::analysis::parse::parse_python;
    use crate::analysis::semantic::SemanticModel;
    use crate::analysis::source::SourceFile;
    use crate::analysis::{Fix, Rule};

    /// The text after adding what `request` asks for to a module `text`
    /// written at `dir/app.py`.
    fn with_imports(
        dir: &Path,
        text: &str,
        request: impl Fn(&mut ImportPlan) -> Vec<String>,
    ) -> (String, Vec<String>) {
        let path = dir.join("app.py");
        let source = SourceFile::from_text(&path, text.to_owned());
        let parsed = parse_python(text);
        let context = FileContext::default();
        let rules: RuleSet = [Rule::DebugModeEnabled].into_iter().collect();
        let semantic = SemanticModel::new(parsed.suite());
        let ctx = ModuleContext::new(&source, &parsed, &semantic, &context, rules);
        let mut plan = ImportPlan::new(ctx);
        let names = request(&mut plan);
        let fixed = Fix::safe("", plan.edits())
            .apply(text)
            .expect("edits apply");
        assert!(parse_python(&fixed).is_valid(), "{fixed}");
        (fixed, names)
    }

    fn temp() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn new_statements_go_into_their_isort_section() {
        let dir = temp();
        std::fs::create_dir(dir.path().join("shop")).unwrap();
        let text = "\"\"\"Doc.\"\"\"\nimport sys\n\nfrom flask import Flask\nfrom flask_cors import CORS\n\nfrom shop.models import db\nfrom .views import bp\n\napp = Flask(__name__)\n";
        let (fixed, names) = with_imports(dir.path(), text, |plan| {
            vec![
                plan.module("os"),
                plan.name("flask_talisman", "Talisman"),
                plan.name("werkzeug.local", "LocalProxy"),
                plan.name("flask", "current_app"),
            ]
        });
        assert_eq!(names, ["os", "Talisman", "LocalProxy", "current_app"]);
        assert_eq!(
            fixed,
            "\"\"\"Doc.\"\"\"\nimport os\nimport sys\n\nfrom flask import Flask, current_app\nfrom flask_cors import CORS\nfrom flask_talisman import Talisman\nfrom werkzeug.local import LocalProxy\n\nfrom shop.models import db\nfrom .views import bp\n\napp = Flask(__name__)\n"
        );
    }

    #[test]
    fn a_missing_section_gets_its_own_group() {
        let dir = temp();
        let text = "from flask import Flask\n\napp = Flask(__name__)\n";
        let (fixed, _) = with_imports(dir.path(), text, |plan| vec![plan.module("os")]);
        assert_eq!(
            fixed,
            "import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\n"
        );
        let text = "import os\n\napp = 1\n";
        let (fixed, _) = with_imports(dir.path(), text, |plan| {
            vec![plan.name("flask_limiter", "Limiter")]
        });
        assert_eq!(
            fixed,
            "import os\n\nfrom flask_limiter import Limiter\n\napp = 1\n"
        );
    }

    #[test]
    fn existing_imports_and_aliases_are_reused() {
        let dir = temp();
        let text = "import os as o\nfrom flask import Flask, jsonify as J\nimport flask_limiter\n\nLimiter = 1\n";
        let (fixed, names) = with_imports(dir.path(), text, |plan| {
            vec![
                plan.module("os"),
                plan.name("flask", "jsonify"),
                plan.name("flask_limiter", "Limiter"),
            ]
        });
        assert_eq!(names, ["o", "J", "flask_limiter.Limiter"]);
        assert_eq!(fixed, text, "nothing to add");
    }

    #[test]
    fn names_join_parenthesized_imports_one_per_line_and_crlf_is_kept() {
        let dir = temp();
        let text =
            "from pydantic import (\r\n    BaseModel,\r\n    field_validator,\r\n)\r\nx = 1\r\n";
        let (fixed, _) = with_imports(dir.path(), text, |plan| {
            vec![
                plan.name("pydantic", "Field"),
                plan.name("pydantic", "ValidationError"),
                plan.name("pydantic", "model_validator"),
            ]
        });
        assert_eq!(
            fixed,
            "from pydantic import (\r\n    BaseModel,\r\n    Field,\r\n    ValidationError,\r\n    field_validator,\r\n    model_validator,\r\n)\r\nx = 1\r\n"
        );
    }

    #[test]
    fn docstring_only_and_future_imports() {
        let dir = temp();
        let (fixed, _) = with_imports(dir.path(), "\"\"\"Only a docstring.\"\"\"\n", |plan| {
            vec![plan.module("os")]
        });
        assert_eq!(fixed, "\"\"\"Only a docstring.\"\"\"\n\nimport os\n");
        let text = "from __future__ import annotations\n\nimport sys\n";
        let (fixed, _) = with_imports(dir.path(), text, |plan| vec![plan.module("os")]);
        assert_eq!(
            fixed,
            "from __future__ import annotations\n\nimport os\nimport sys\n"
        );
    }
}
