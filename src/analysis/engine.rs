//! Runs the analysis over discovered files in parallel: each file is read,
//! decoded, parsed, walked by the [`Checker`] and its AST dropped on a rayon
//! worker with a 64 MiB stack (deep nesting cannot overflow), and only plain data
//! ([`FileReport`]) comes back. Suppressions and per-file rule selection are
//! applied here.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use ruff_text_size::TextRange;

use std::collections::{BTreeMap, BTreeSet};

use super::app_fixes;
use super::checker::{Checker, ModuleResult, is_development_module};
use super::codes::RuleSet;
use super::context::{FileContext, NameSet};
use super::diagnostic::{Diagnostic, Edit, Fix};
use super::discovery::{
    DiscoveredFile, DiscoveryError, FileKind, TextFileKind, UnfollowedLink, discover,
};
use super::parse::parse_python;
use super::project::{self, ModuleFacts, ModuleIndex, ProjectModel};
use super::request_data::{CrossModule, DependencyAliases};
use super::rules;
use super::schedule::{file_size, largest_first};
use super::settings::CheckSettings;
use super::source::SourceFile;
use super::suppression::Suppressions;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;
use std::sync::Arc;

/// Worker stack size: enough to walk and drop ASTs nested a million deep.
pub const WORKER_STACK_SIZE: usize = 64 << 20;

/// The findings of one analysed file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The file (path, text, line index).
    pub source: SourceFile,
    /// Unsuppressed findings, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Secret literals to mask whenever a line of this file is shown.
    pub secrets: Vec<TextRange>,
}

/// A file that could not be analysed.
#[derive(Debug, Clone)]
pub struct SkippedFile {
    /// The path.
    pub path: PathBuf,
    /// 1-based line and column of the problem, when there is one.
    pub position: Option<(usize, usize)>,
    /// Why, e.g. "syntax error: Expected `,`, found name".
    pub reason: String,
    /// Whether the file was named on the command line: then it is an error
    /// (exit 2), not a warning.
    pub explicit: bool,
}

/// A problem that is not a finding: an unknown code in a suppression comment.
#[derive(Debug, Clone)]
pub struct Warning {
    /// The path.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// The message.
    pub message: String,
}

/// Everything one check run produced.
#[derive(Debug, Default)]
pub struct Report {
    /// Analysed files that have findings, in path order.
    pub files: Vec<FileReport>,
    /// Files that were skipped, in path order.
    pub skipped: Vec<SkippedFile>,
    /// Warnings (unknown suppression codes).
    pub warnings: Vec<Warning>,
    /// Symbolic links met while walking that lead outside the walked folders
    /// (not followed).
    pub unfollowed_links: Vec<UnfollowedLink>,
    /// How many files were analysed.
    pub checked: usize,
    /// How many of the analysed files are Python source (the rest are
    /// `.flaskenv`, requirements and `pyproject.toml` files).
    pub checked_python: usize,
}

impl Report {
    /// Files named on the command line that could not be analysed.
    pub fn unanalysable_named_files(&self) -> impl Iterator<Item = &SkippedFile> {
        self.skipped.iter().filter(|s| s.explicit)
    }

    /// All findings with their files, in output order.
    pub fn diagnostics(&self) -> impl Iterator<Item = (&FileReport, &Diagnostic)> {
        self.files
            .iter()
            .flat_map(|file| file.diagnostics.iter().map(move |d| (file, d)))
    }

    /// The number of findings.
    pub fn len(&self) -> usize {
        self.files.iter().map(|f| f.diagnostics.len()).sum()
    }

    /// Whether there are no findings.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Why a check run could not start.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A path argument is missing.
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    /// The worker pool could not be built.
    #[error("cannot start worker threads: {0}")]
    Pool(#[from] rayon::ThreadPoolBuildError),
}

#[derive(Clone)]
struct Analyzed {
    /// `None` once it is clear nothing will be reported in the file (no findings,
    /// no application or CORS set-up for the project rules): frees its text.
    report: Option<FileReport>,
    facts: ModuleFacts,
    suppressions: Suppressions,
    rules: RuleSet,
    root_index: usize,
    /// A dependency file (`requirements*.txt`, `pyproject.toml`).
    dependency_file: bool,
    /// The functions of other modules its flow names (see [`find_callee`]),
    /// resolved on the worker that analysed it.
    callees: HashMap<String, Option<Callee>>,
}

#[derive(Clone)]
enum Outcome {
    Checked(Box<Analyzed>, Vec<Warning>),
    Skipped(SkippedFile),
}

/// Pending contents of files, keyed by path as discovery reports it: `fix`
/// re-analyses its edits in memory, before (or without) writing them.
pub type Overlay = std::collections::HashMap<PathBuf, Vec<u8>>;

/// Discovers and analyses every file under `paths`.
pub fn check_paths(paths: &[PathBuf], settings: &CheckSettings) -> Result<Report, EngineError> {
    check_paths_with_overlay(paths, settings, &Overlay::new())
}

/// Like [`check_paths`], reading a file's bytes from `overlay` when it has them.
pub fn check_paths_with_overlay(
    paths: &[PathBuf],
    settings: &CheckSettings,
    overlay: &Overlay,
) -> Result<Report, EngineError> {
    let discovery = discover(paths, settings)?;
    let mut report = check_files_with_overlay(&discovery.files, settings, overlay)?;
    report.unfollowed_links = discovery.unfollowed;
    Ok(report)
}

/// Analyses already discovered files: each file on the worker pool, then the
/// project-level rules over the merged facts of each path argument's files.
pub fn check_files(
    files: &[DiscoveredFile],
    settings: &CheckSettings,
) -> Result<Report, EngineError> {
    check_files_with_overlay(files, settings, &Overlay::new())
}

/// Like [`check_files`], reading a file's bytes from `overlay` when it has them.
pub fn check_files_with_overlay(
    files: &[DiscoveredFile],
    settings: &CheckSettings,
    overlay: &Overlay,
) -> Result<Report, EngineError> {
    let pool = worker_pool()?;
    let mut inputs = vec![Inputs::default(); files.len()];
    let mut outcomes: Vec<Option<Outcome>> = files.iter().map(|_| None).collect();
    let mut fresh = vec![false; files.len()];
    let run = Run {
        pool: &pool,
        files,
        settings,
        overlay,
        indexes: std::cell::OnceCell::new(),
    };
    let shared = run.first_pass(project_names(files), &inputs, &mut outcomes, &mut fresh);
    let mut outcomes: Vec<Outcome> = outcomes
        .into_iter()
        .map(|o| o.expect("every file analysed"))
        .collect();
    // Another look at the few files that import re-exported names, or that
    // request data reaches from another module.
    run.settle(&shared, &mut outcomes, &mut inputs, &mut fresh);
    Ok(assemble(&pool, files, outcomes))
}

/// One run of the analysis over discovered files.
struct Run<'r> {
    pool: &'r rayon::ThreadPool,
    files: &'r [DiscoveredFile],
    settings: &'r CheckSettings,
    overlay: &'r Overlay,
    /// The Python modules of each path argument by path (built once, when
    /// first needed).
    indexes: std::cell::OnceCell<BTreeMap<usize, ModuleIndex<'r, usize>>>,
}

/// What every file of a run is told about all of them.
#[derive(Clone, Default)]
struct Shared {
    /// See [`FileContext::project_names`].
    names: ProjectNames,
    /// The FastAPI dependency aliases of each path argument (by root index).
    aliases: BTreeMap<usize, Arc<DependencyAliases>>,
    /// See [`FileContext::imported_names`] (`None` when some file was not read).
    imported: Option<Arc<NameSet>>,
}

impl<'r> Run<'r> {
    /// The Python modules of path argument `root` by path.
    fn index(&self, root: usize) -> &ModuleIndex<'r, usize> {
        &self.indexes.get_or_init(|| module_indexes(self.files))[&root]
    }

    /// Analyses the files `todo` on the workers, each with its inputs (and
    /// its text when it was read already).
    fn analyze(
        &self,
        todo: Vec<(usize, Option<SourceFile>)>,
        inputs: &[Inputs],
        shared: &Shared,
    ) -> Vec<(usize, Outcome)> {
        let (files, settings, overlay) = (self.files, self.settings, self.overlay);
        // Largest first: the text's length when it was read, else the size on disk.
        let sizes: Vec<u64> = self.pool.install(|| {
            todo.par_iter()
                .map(|(i, source)| match source {
                    Some(source) => source.text().len() as u64,
                    None => file_size(&files[*i], overlay),
                })
                .collect()
        });
        let todo: Vec<(usize, std::sync::Mutex<Option<SourceFile>>)> = todo
            .into_iter()
            .map(|(i, source)| (i, std::sync::Mutex::new(source)))
            .collect();
        let indexes = self.indexes.get();
        largest_first(self.pool, &sizes, |k| {
            let (i, source) = &todo[k];
            let file = &files[*i];
            let source = source.lock().map_or(None, |mut s| s.take());
            let mut outcome = match source.map_or_else(|| read_file(file, overlay), Ok) {
                Ok(source) => analyze_source(file, source, settings, &inputs[*i], shared),
                Err(skipped) => skipped,
            };
            if let Outcome::Checked(analyzed, _) = &mut outcome
                && let Some(index) = indexes.and_then(|all| all.get(&file.root_index))
            {
                analyzed.callees = resolve_callees(index, *i, &analyzed.facts);
            }
            (*i, outcome)
        })
    }

    /// Analyses the files without an outcome (each with its `inputs`). The
    /// FastAPI dependency aliases their views need (a parameter annotated
    /// with one is not request data) are first read off the texts (see
    /// [`text_dependency_aliases`]); once every file is analysed, the aliases
    /// its syntax tree defines replace them, and a file whose imported
    /// aliases that changes is analysed again. `fresh` marks the files analysed.
    fn first_pass(
        &self,
        names: ProjectNames,
        inputs: &[Inputs],
        outcomes: &mut [Option<Outcome>],
        fresh: &mut [bool],
    ) -> Shared {
        let mut shared = Shared {
            names,
            aliases: BTreeMap::new(),
            imported: None,
        };
        let todo: Vec<usize> = (0..outcomes.len())
            .filter(|&i| outcomes[i].is_none())
            .collect();
        let mut rest = Vec::with_capacity(todo.len());
        let mut defining: Vec<(usize, Vec<String>)> = Vec::new();
        // One parallel pass reads the files and scans their texts: the names
        // the modules import (only when every module is read now: a
        // `Session`'s later runs read only the changed files) and a first
        // guess of the FastAPI dependency aliases they define.
        let all = todo.len() == outcomes.len();
        let (files, overlay) = (self.files, self.overlay);
        // The module indexes are built meanwhile (the aliases need them).
        let index = self.indexes.get().is_none();
        let (read, indexes): (Vec<_>, _) = self.pool.install(|| {
            rayon::join(
                || {
                    todo.par_iter()
                        .map(|&i| {
                            let read = read_file(&files[i], overlay);
                            let (names, aliases) = match &read {
                                Ok(source) if files[i].kind == FileKind::Python => {
                                    let names = if all {
                                        text_imported_names(source.text())
                                            .into_iter()
                                            .map(NameSet::key)
                                            .collect()
                                    } else {
                                        Vec::new()
                                    };
                                    (names, text_dependency_aliases(source.text()))
                                }
                                _ => (Vec::new(), Vec::new()),
                            };
                            (read, names, aliases)
                        })
                        .collect()
                },
                || index.then(|| module_indexes(files)),
            )
        });
        if let Some(indexes) = indexes {
            // Unset above; nothing else sets it.
            let _ = self.indexes.set(indexes);
        }
        let mut imported = NameSet::default();
        for (&i, (read, names, aliases)) in todo.iter().zip(read) {
            fresh[i] = true;
            imported.extend_keys(names);
            match read {
                Ok(source) => {
                    if !aliases.is_empty() {
                        defining.push((i, aliases));
                    }
                    rest.push((i, Some(source)));
                }
                Err(skipped) => outcomes[i] = Some(skipped),
            }
        }
        if all {
            shared.imported = Some(Arc::new(imported));
        }
        // The aliases of the files analysed earlier (a `Session`'s later runs) count too.
        for (i, outcome) in outcomes.iter().enumerate() {
            if let Some(facts) = outcome.as_ref().and_then(facts_of)
                && !facts.flow.dependency_aliases.is_empty()
            {
                defining.push((i, facts.flow.dependency_aliases.clone()));
            }
        }
        shared.aliases = self.dependency_aliases(&defining);
        for (i, outcome) in self.analyze(rest, inputs, &shared) {
            outcomes[i] = Some(outcome);
        }
        let defined: Vec<(usize, Vec<String>)> = outcomes
            .iter()
            .enumerate()
            .filter_map(|(i, o)| Some((i, o.as_ref().and_then(facts_of)?)))
            .filter(|(_, facts)| !facts.flow.dependency_aliases.is_empty())
            .map(|(i, facts)| (i, facts.flow.dependency_aliases.clone()))
            .collect();
        shared.aliases = self.dependency_aliases(&defined);
        // Files analysed with other aliases than the final ones (a guess of
        // the texts, or an earlier run's) are analysed again.
        let again: Vec<(usize, Option<SourceFile>)> = (0..outcomes.len())
            .filter(|&i| {
                outcomes[i]
                    .as_ref()
                    .and_then(facts_of)
                    .is_some_and(|facts| {
                        let known = shared
                            .aliases
                            .get(&self.files[i].root_index)
                            .map(|aliases| {
                                aliases.imported_by(
                                    &facts.relative,
                                    &facts.from_imports,
                                    &facts.flow.dependency_candidates,
                                )
                            })
                            .unwrap_or_default();
                        known != facts.flow.dependency_imports
                    })
            })
            .map(|i| (i, None))
            .collect();
        for (i, outcome) in self.analyze(again, inputs, &shared) {
            outcomes[i] = Some(outcome);
            fresh[i] = true;
        }
        shared
    }

    /// The FastAPI dependency aliases `defining` names (file, aliases it
    /// defines), by path argument, with the imports that name them (see
    /// [`DependencyAliases`]).
    fn dependency_aliases(
        &self,
        defining: &[(usize, Vec<String>)],
    ) -> BTreeMap<usize, Arc<DependencyAliases>> {
        let files = self.files;
        let roots: BTreeSet<usize> = defining.iter().map(|&(i, _)| files[i].root_index).collect();
        roots
            .into_iter()
            .map(|root| {
                let index = self.index(root);
                let mut aliases = DependencyAliases::default();
                for (i, defined) in defining
                    .iter()
                    .filter(|(i, _)| files[*i].root_index == root)
                {
                    let path = files[*i].relative.as_str();
                    // A relative import of `pkg` names `pkg.py` when there is one,
                    // not `pkg/__init__.py`.
                    let shadowed = path
                        .strip_suffix("__init__.py")
                        .and_then(|dir| dir.strip_suffix('/'))
                        .is_some_and(|dir| index.contains_path(&format!("{dir}.py")));
                    aliases.add(path, defined, &index.absolute_names(path, *i), !shadowed);
                }
                (root, Arc::new(aliases))
            })
            .collect()
    }
}

/// The Python modules of each path argument by path.
fn module_indexes(files: &[DiscoveredFile]) -> BTreeMap<usize, ModuleIndex<'_, usize>> {
    let roots: BTreeSet<usize> = files.iter().map(|f| f.root_index).collect();
    roots
        .into_iter()
        .map(|root| {
            let modules = files
                .iter()
                .enumerate()
                .filter(move |(_, f)| f.root_index == root && f.kind == FileKind::Python)
                .map(|(i, f)| (f.relative.as_str(), i));
            (root, ModuleIndex::new(modules))
        })
        .collect()
}

/// The names a module's text imports with `from ... import ...` (the name
/// imported, not its local alias; parenthesised lists across lines too). A
/// cheap over-approximation (a line inside a string counts too).
fn text_imported_names(text: &str) -> Vec<&str> {
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b" import "));
    let bytes = text.as_bytes();
    let mut names = Vec::new();
    for at in FINDER.find_iter(bytes) {
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        if !text[start..at].trim_start().starts_with("from ") {
            continue;
        }
        let rest = &text[at + " import ".len()..];
        let rest = rest.trim_start_matches([' ', '\t']);
        let list = match rest.strip_prefix('(') {
            Some(inner) => &inner[..inner.find(')').unwrap_or(inner.len())],
            None => {
                let end = rest.find(['\n', ';', '#']).unwrap_or(rest.len());
                &rest[..end]
            }
        };
        for line in list.lines() {
            let line = line.split('#').next().unwrap_or_default();
            for item in line.split(',') {
                let name = item
                    .split(|c: char| c.is_whitespace() || c == '\\')
                    .find(|part| !part.is_empty())
                    .unwrap_or_default();
                if !name.is_empty() && name != "*" {
                    names.push(name);
                }
            }
        }
    }
    names
}

/// The FastAPI dependency aliases a module's text seems to define at module
/// level: a line that starts with a name assigned (or annotated and
/// assigned) an `Annotated[...]` whose brackets hold a `Depends(` or
/// `Security(` call (`SessionDep = Annotated[Session, Depends(get_session)]`).
/// A cheap first guess, before any file is parsed; the syntax trees decide
/// (see [`Run::first_pass`]).
fn text_dependency_aliases(text: &str) -> Vec<String> {
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"Annotated["));
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for at in FINDER.find_iter(bytes) {
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let line = &text[start..at];
        // `Name =` or `Name: TypeAlias =`, then `Annotated[` (or `typing.Annotated[`).
        let name_end = line
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(line.len());
        let name = &line[..name_end];
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let Some((target, value)) = line.split_once('=') else {
            continue;
        };
        let target = target.trim_end();
        if !(target == name || target[name_end..].trim_start().starts_with(':'))
            || value.contains('=')
        {
            continue;
        }
        let value = value.trim();
        if !(value.is_empty()
            || value.strip_suffix('.').is_some_and(|module| {
                module
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
            }))
        {
            continue;
        }
        // The bracket's contents, up to its closing `]`.
        let open = at + "Annotated[".len();
        let mut depth = 1usize;
        let mut end = open;
        while end < bytes.len() && depth > 0 {
            match bytes[end] {
                b'[' | b'(' | b'{' => depth += 1,
                b']' | b')' | b'}' => depth -= 1,
                _ => {}
            }
            end += 1;
        }
        let inside = &text[open..end.saturating_sub(1).max(open)];
        if (inside.contains("Depends(") || inside.contains("Security("))
            && !found.iter().any(|known| known == name)
        {
            found.push(name.to_owned());
        }
    }
    found
}

/// What the engine tells one file about the other modules of its project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Inputs {
    /// Names it imports from modules that re-export them.
    reexports: Reexports,
    /// What its request-data flow learns from the other modules.
    cross_module: CrossModule,
}

/// How many times files are analysed again with what the other modules tell
/// them: once for re-exported names, and once per call that request data
/// crosses into another module (MAX_CALL_DEPTH) or per function returning it.
const MAX_ROUNDS: usize = 6;

impl Run<'_> {
    /// Analyses again the files whose [`Inputs`] from the other modules changed
    /// with the latest outcomes, until none does (at most [`MAX_ROUNDS`] times);
    /// `fresh` marks them.
    fn settle(
        &self,
        shared: &Shared,
        outcomes: &mut [Outcome],
        inputs: &mut [Inputs],
        fresh: &mut [bool],
    ) {
        let files = self.files;
        // The modules of each path argument by path, once: analysing a file
        // again never changes whether it could be analysed, nor its imports.
        let roots: BTreeSet<usize> = files.iter().map(|f| f.root_index).collect();
        let projects: Vec<Project> = roots
            .into_iter()
            .map(|root| {
                let members: Vec<usize> = (0..files.len())
                    .filter(|&i| {
                        files[i].root_index == root && matches!(outcomes[i], Outcome::Checked(..))
                    })
                    .collect();
                Project {
                    members,
                    index: self.index(root),
                    reaching: RefCell::default(),
                }
            })
            .collect();
        let mut base = Sparse::default();
        for project in &projects {
            reexports_into(outcomes, project, &mut base);
        }
        let none = Inputs::default();
        for _ in 0..MAX_ROUNDS {
            let mut wanted = inputs_of(outcomes, &projects, &base, inputs);
            let mut again = Vec::new();
            for (i, analysed) in inputs.iter_mut().enumerate() {
                let want = wanted.get(&i).unwrap_or(&none);
                if want == analysed {
                    continue;
                }
                // A file whose seeds changed only in the routes they come
                // from, and that names none of them, would report the same.
                let same = facts_of(&outcomes[i]).is_some_and(|facts| !facts.flow.via_used)
                    && only_routes_differ(want, analysed);
                *analysed = wanted.remove(&i).unwrap_or_default();
                if !same {
                    again.push(i);
                }
            }
            if again.is_empty() {
                return;
            }
            let todo = again.into_iter().map(|i| (i, None)).collect();
            for (i, outcome) in self.analyze(todo, inputs, shared) {
                outcomes[i] = outcome;
                fresh[i] = true;
            }
        }
    }
}

/// Whether two inputs differ at most in the routes of their seeds.
fn only_routes_differ(a: &Inputs, b: &Inputs) -> bool {
    a.reexports == b.reexports
        && a.cross_module.imported == b.cross_module.imported
        && a.cross_module.seeds.len() == b.cross_module.seeds.len()
        && a.cross_module
            .seeds
            .iter()
            .zip(&b.cross_module.seeds)
            .all(|((n, x), (m, y))| {
                n == m
                    && x.positional == y.positional
                    && x.keywords == y.keywords
                    && x.depth == y.depth
            })
}

/// The facts of an analysed file.
fn facts_of(outcome: &Outcome) -> Option<&ModuleFacts> {
    match outcome {
        Outcome::Checked(analyzed, _) => Some(&analyzed.facts),
        Outcome::Skipped(_) => None,
    }
}

/// What the other modules tell some files (the others: nothing), by file.
type Sparse = HashMap<usize, Inputs>;

/// For each file, what the other modules of its project tell it: `base`
/// (the re-exported names, which analysing a file again never changes) and
/// what request data does across its modules.
fn inputs_of(
    outcomes: &[Outcome],
    projects: &[Project],
    base: &Sparse,
    analysed: &[Inputs],
) -> Sparse {
    let mut out = base.clone();
    for project in projects {
        cross_modules_into(outcomes, project, analysed, &mut out);
    }
    out
}

/// For each file, the names it imports (`from .compat import SecureHeaders`)
/// from a module of the same project that itself imports them from a package
/// (`from flask_talisman import Talisman as SecureHeaders` in compat.py): local
/// name -> origin, so that the file's rules see `flask_talisman.Talisman`.
fn reexports_into(outcomes: &[Outcome], project: &Project, out: &mut Sparse) {
    // Cheap filter first: only names some module re-exports at all.
    let exported: HashSet<&str> = project
        .members
        .iter()
        .filter_map(|&i| facts_of(&outcomes[i]))
        .flat_map(|f| f.reexports.keys().map(String::as_str))
        .collect();
    if exported.is_empty() {
        return;
    }
    for &i in &project.members {
        let Some(facts) = facts_of(&outcomes[i]) else {
            continue;
        };
        for import in &facts.from_imports {
            if !exported.contains(import.name.as_str()) {
                continue;
            }
            let Some(origin) = project
                .index
                .resolve(&facts.relative, import.level, &import.module)
                .filter(|&target| target != i)
                .and_then(|target| facts_of(&outcomes[target]))
                .and_then(|target| target.reexports.get(&import.name))
            else {
                continue;
            };
            // An absolute import that already names the origin changes nothing.
            if import.level == 0 && *origin == format!("{}.{}", import.module, import.name) {
                continue;
            }
            out.entry(i)
                .or_default()
                .reexports
                .insert(import.local.clone(), origin.clone());
        }
    }
}

/// Request data across the modules of one project: for each file, what the
/// functions it imports from other modules return (when it carries request
/// data), and which of its functions other modules call with request data
/// (`find_user(request.args["name"])` in routes.py after `from .queries
/// import find_user`), with the routes it comes from. Only the imported names
/// a module's analysed scopes call are looked up.
fn cross_modules_into(
    outcomes: &[Outcome],
    project: &Project,
    analysed: &[Inputs],
    out: &mut Sparse,
) {
    for &i in &project.members {
        let Some(facts) = facts_of(&outcomes[i]) else {
            continue;
        };
        let flow = &facts.flow;
        // Only what changes a call of this module: a function returning
        // request data, or its arguments when a call passes request data.
        for (local, &with_request) in &flow.called {
            let Some((j, name)) = project.callee(outcomes, i, facts, local) else {
                continue;
            };
            if let Some(summary) =
                facts_of(&outcomes[j]).and_then(|module| module.flow.summaries.get(&*name))
                && (summary.returns_request || (summary.returns_arguments && with_request))
            {
                out.entry(i)
                    .or_default()
                    .cross_module
                    .imported
                    .insert(local.clone(), *summary);
            }
        }
        for call in &flow.calls {
            let Some((j, name)) = project.callee(outcomes, i, facts, &call.local) else {
                continue;
            };
            let Some(module) = facts_of(&outcomes[j]) else {
                continue;
            };
            let Some(reach) = module.flow.functions.get(&*name) else {
                continue;
            };
            // Seeded when the data can reach a sink, or come back to the
            // caller (its analysis then tells whether it does), through the
            // parameters the call gives it.
            let given = |names: &[String]| {
                call.positional
                    .iter()
                    .any(|&p| reach.positional.get(p).is_some_and(|n| names.contains(n)))
                    || call.keywords.iter().any(|k| names.contains(k))
            };
            let returns = call.result_used && given(&reach.returning);
            let sink = given(&reach.sinking)
                || reach.imported.iter().any(|local| {
                    project
                        .callee(outcomes, j, module, local)
                        .is_some_and(|(k, callee)| project.reaches_sink(outcomes, k, &callee))
                });
            if !returns && !sink {
                continue;
            }
            // Arguments for parameters typed `bool`, `int` or `float` are dropped.
            let positional: Vec<usize> = call
                .positional
                .iter()
                .copied()
                .filter(|p| !reach.scalar_positions.contains(p))
                .collect();
            let keywords: Vec<&String> = call
                .keywords
                .iter()
                .filter(|k| !reach.scalar_keywords.contains(k))
                .collect();
            if positional.is_empty() && keywords.is_empty() {
                continue;
            }
            // Until the callee is analysed with this request data, what it
            // returns is told by its parameters (`Reach::returning`): the
            // caller is analysed again in the round the callee is, not one
            // round later (the callee's own summary then decides).
            if returns
                && analysed[j]
                    .cross_module
                    .seeds
                    .get(&*name)
                    .is_none_or(|seed| {
                        !positional.iter().all(|p| seed.positional.contains(p))
                            || !keywords.iter().all(|k| seed.keywords.contains(*k))
                    })
            {
                out.entry(i)
                    .or_default()
                    .cross_module
                    .imported
                    .entry(call.local.clone())
                    .or_default()
                    .returns_arguments = true;
            }
            let seed = out
                .entry(j)
                .or_default()
                .cross_module
                .seeds
                .entry(name.to_string())
                .or_default();
            seed.positional.extend(positional);
            seed.keywords.extend(keywords.into_iter().cloned());
            seed.via.extend(call.via.iter().cloned());
            if seed.depth == 0 || call.depth < seed.depth {
                seed.depth = call.depth;
            }
        }
    }
}

/// A function of another file: (file, its name there).
type Callee = (usize, Arc<str>);

/// The modules of one path argument by path, with what their functions reach
/// found so far (that never changes between rounds: a file is analysed again
/// with the same text).
struct Project<'f> {
    members: Vec<usize>,
    index: &'f ModuleIndex<'f, usize>,
    /// (file, function) -> whether request data given to it can reach a sink.
    reaching: RefCell<HashMap<(usize, String), bool>>,
}

impl Project<'_> {
    /// Whether request data given to function `name` of file `file` can reach
    /// a sink: in its module, or through the functions it calls in other
    /// modules (a function seeded with request data that cannot reports
    /// nothing, so its file is not analysed again). What the functions reach
    /// never changes between rounds.
    fn reaches_sink(&self, outcomes: &[Outcome], file: usize, name: &str) -> bool {
        let key = (file, name.to_owned());
        if let Some(&known) = self.reaching.borrow().get(&key) {
            return known;
        }
        let Some(facts) = facts_of(&outcomes[file]) else {
            return false;
        };
        let Some(reach) = facts.flow.functions.get(name) else {
            return false;
        };
        // In progress: a cycle adds nothing.
        self.reaching.borrow_mut().insert(key.clone(), false);
        let found = reach.sink
            || reach.imported.iter().any(|local| {
                self.callee(outcomes, file, facts, local)
                    .is_some_and(|(j, callee)| self.reaches_sink(outcomes, j, &callee))
            });
        self.reaching.borrow_mut().insert(key, found);
        found
    }

    /// [`find_callee`], as resolved when the file was analysed (every
    /// callee its flow names; any other is resolved now).
    fn callee(
        &self,
        outcomes: &[Outcome],
        file: usize,
        facts: &ModuleFacts,
        local: &str,
    ) -> Option<Callee> {
        if let Outcome::Checked(analyzed, _) = &outcomes[file]
            && let Some(known) = analyzed.callees.get(local)
        {
            return known.clone();
        }
        find_callee(self.index, file, facts, local)
    }
}

/// Every callee the flow of file `file` names: in the calls it makes with
/// request data, the imported names it calls, and those its functions call.
fn resolve_callees(
    index: &ModuleIndex<'_, usize>,
    file: usize,
    facts: &ModuleFacts,
) -> HashMap<String, Option<Callee>> {
    let flow = &facts.flow;
    let mut callees = HashMap::default();
    let named = flow
        .called
        .keys()
        .chain(flow.calls.iter().map(|call| &call.local))
        .chain(flow.functions.values().flat_map(|reach| &reach.imported));
    for local in named {
        if !callees.contains_key(local) {
            callees.insert(local.clone(), find_callee(index, file, facts, local));
        }
    }
    callees
}

/// The file (another one than `file`) and name of the function a call of
/// `file` names: `find_user` after `from .queries import find_user` (or
/// `import ... as find_user`), `queries.find_user` after `from . import
/// queries`.
fn find_callee(
    index: &ModuleIndex<'_, usize>,
    file: usize,
    facts: &ModuleFacts,
    local: &str,
) -> Option<Callee> {
    let (module, name) = local.split_once('.').unwrap_or((local, ""));
    let position = facts
        .from_imports
        .iter()
        .position(|import| import.local == module)?;
    // `find_user(...)`: the function `find_user` of the module imported
    // from; `queries.find_user(...)`: `find_user` of `queries`.
    let import = &facts.from_imports[position];
    let submodule = !name.is_empty();
    let name = if submodule {
        name
    } else {
        import.name.as_str()
    };
    let target = if submodule {
        let module = if import.module.is_empty() {
            import.name.clone()
        } else {
            format!("{}.{}", import.module, import.name)
        };
        index.resolve(&facts.relative, import.level, &module)
    } else {
        index.resolve(&facts.relative, import.level, &import.module)
    };
    target.filter(|&j| j != file).map(|j| (j, Arc::from(name)))
}

/// Repeated check runs over the same files, as `fix` makes while it composes
/// remediations: the files are discovered once, and a file whose input is
/// unchanged since the previous run (the same overlay bytes, or still none) keeps
/// its per-file results; only the others are analysed again. The project rules
/// always re-run over all facts, so each report is the one
/// [`check_paths_with_overlay`] gives for the same overlay (files on disk are
/// assumed not to change between runs).
pub struct Session<'s> {
    settings: &'s CheckSettings,
    files: Vec<DiscoveredFile>,
    unfollowed_links: Vec<UnfollowedLink>,
    cache: Vec<Option<Cached>>,
    pool: rayon::ThreadPool,
}

impl Drop for Session<'_> {
    /// The cached outcomes (every module's facts: thousands of small
    /// allocations) are freed on the workers.
    fn drop(&mut self) {
        let cache = std::mem::take(&mut self.cache);
        self.pool.install(|| cache.into_par_iter().for_each(drop));
    }
}

/// A file's outcome, the overlay bytes and the inputs from other modules it
/// was analysed with.
struct Cached {
    input: Option<Vec<u8>>,
    inputs: Inputs,
    outcome: Outcome,
}

impl<'s> Session<'s> {
    /// Discovers the files under `paths`; nothing is analysed yet.
    pub fn new(paths: &[PathBuf], settings: &'s CheckSettings) -> Result<Self, EngineError> {
        let discovery = discover(paths, settings)?;
        let cache = discovery.files.iter().map(|_| None).collect();
        Ok(Self {
            settings,
            files: discovery.files,
            unfollowed_links: discovery.unfollowed,
            cache,
            pool: worker_pool()?,
        })
    }

    /// Whether discovery found `path` (a file created since needs a new session).
    pub fn contains(&self, path: &Path) -> bool {
        self.files.iter().any(|f| f.path == path)
    }

    /// Analyses the files whose input changed (all of them the first time) and
    /// reports on every file.
    pub fn check(&mut self, overlay: &Overlay) -> Result<Report, EngineError> {
        let (files, settings) = (&self.files, self.settings);
        // The files the overlay holds, found by binary search (the files are
        // sorted by path): hashing every path of a large tree on each pass
        // would cost more than the lookups.
        let pending: rustc_hash::FxHashMap<usize, &Vec<u8>> = overlay
            .iter()
            .filter_map(|(path, bytes)| {
                let index = files
                    .binary_search_by(|f| f.path.as_path().cmp(path))
                    .ok()?;
                Some((index, bytes))
            })
            .collect();
        let stale: Vec<usize> = self
            .cache
            .iter()
            .enumerate()
            .filter(|(i, cached)| {
                cached
                    .as_ref()
                    .is_none_or(|c| c.input.as_ref() != pending.get(i).copied())
            })
            .map(|(i, _)| i)
            .collect();
        let pool = &self.pool;
        // The outcomes of the others, copied on the workers (thousands of
        // small allocations: the report owns them); every file keeps the
        // inputs from other modules it had (new files: none yet).
        let mut is_stale = vec![false; files.len()];
        for &i in &stale {
            is_stale[i] = true;
        }
        let cache = &self.cache;
        let (mut outcomes, mut inputs): (Vec<Option<Outcome>>, Vec<Inputs>) = pool.install(|| {
            cache
                .par_iter()
                .zip(&is_stale)
                .map(|(c, &stale)| match c {
                    Some(c) => ((!stale).then(|| c.outcome.clone()), c.inputs.clone()),
                    None => (None, Inputs::default()),
                })
                .unzip()
        });
        let mut fresh = vec![false; files.len()];
        let run = Run {
            pool,
            files,
            settings,
            overlay,
            indexes: std::cell::OnceCell::new(),
        };
        let shared = run.first_pass(project_names(files), &inputs, &mut outcomes, &mut fresh);
        let mut outcomes: Vec<Outcome> = outcomes
            .into_iter()
            .map(|o| o.expect("every file analysed"))
            .collect();
        // Files whose inputs from other modules changed are analysed again.
        run.settle(&shared, &mut outcomes, &mut inputs, &mut fresh);
        for (i, cached) in self.cache.iter_mut().enumerate() {
            if fresh[i] {
                *cached = Some(Cached {
                    input: pending.get(&i).map(|bytes| (*bytes).clone()),
                    inputs: inputs[i].clone(),
                    outcome: outcomes[i].clone(),
                });
            }
        }
        let mut report = assemble(pool, &self.files, outcomes);
        report.unfollowed_links.clone_from(&self.unfollowed_links);
        Ok(report)
    }
}

fn worker_pool() -> Result<rayon::ThreadPool, EngineError> {
    Ok(rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK_SIZE)
        .thread_name(|i| format!("flask-harden-{i}"))
        .build()?)
}

/// The report from per-file outcomes (in `files` order): counts, skipped files,
/// warnings, and the project rules over the merged facts.
fn assemble(pool: &rayon::ThreadPool, files: &[DiscoveredFile], outcomes: Vec<Outcome>) -> Report {
    let mut report = Report::default();
    let mut analyzed = Vec::new();
    for (discovered, outcome) in files.iter().zip(outcomes) {
        match outcome {
            Outcome::Checked(file, warnings) => {
                if discovered.kind == FileKind::Python {
                    report.checked_python += 1;
                }
                report.warnings.extend(warnings);
                analyzed.push(*file);
            }
            Outcome::Skipped(skipped) => report.skipped.push(skipped),
        }
    }
    report.checked = analyzed.len();
    apply_project_rules(&mut analyzed);
    // The facts of every module are dropped here: on the workers (thousands of
    // small allocations; the order of the reports is kept).
    report.files = pool.install(|| {
        analyzed
            .into_par_iter()
            .filter_map(|a| a.report)
            .filter(|f| !f.diagnostics.is_empty())
            .collect()
    });
    report
}

/// Runs the project-level rules once per path argument and adds their findings
/// to the files they point into (per-file rules and suppressions apply).
fn apply_project_rules(analyzed: &mut [Analyzed]) {
    let roots: BTreeSet<usize> = analyzed.iter().map(|a| a.root_index).collect();
    let mut found = Vec::new();
    let mut withheld = Vec::new();
    for root in roots {
        let model = ProjectModel::new(
            analyzed
                .iter()
                .enumerate()
                .filter(|(_, a)| a.root_index == root)
                .map(|(i, a)| (i, &a.facts))
                .collect(),
        );
        found.extend(rules::analyze_project(&model));
        if let Some(import) = model.toolbar_import() {
            withheld.push((root, import));
        }
    }
    attach_startup_checks(analyzed);
    for (root, import) in withheld {
        let dependency_reports = analyzed
            .iter_mut()
            .filter(|a| a.root_index == root && a.dependency_file)
            .filter_map(|a| a.report.as_mut());
        for report in dependency_reports {
            for diagnostic in &mut report.diagnostics {
                rules::debug_toolbar_exposed::withhold_dependency_move(diagnostic, &import);
            }
        }
    }
    for (index, diagnostic) in found {
        let file = &mut analyzed[index];
        let Some(report) = &mut file.report else {
            continue;
        };
        if file.rules.contains(diagnostic.rule)
            && !file.suppressions.suppresses(&report.source, &diagnostic)
        {
            report.diagnostics.push(diagnostic);
        }
    }
    for report in analyzed.iter_mut().filter_map(|a| a.report.as_mut()) {
        sort_diagnostics(&mut report.diagnostics);
    }
}

/// FH102 reads secrets with `os.environ.get` (importing never fails); the
/// refusal to start in production without them goes where each application
/// of the same path argument is created, unless that check is already there.
/// Added to the same remediation (applied with it or not at all).
fn attach_startup_checks(analyzed: &mut [Analyzed]) {
    let roots: BTreeSet<usize> = analyzed.iter().map(|a| a.root_index).collect();
    for root in roots {
        let in_root: Vec<usize> = (0..analyzed.len())
            .filter(|i| analyzed[*i].root_index == root)
            .collect();
        let checked: BTreeSet<String> = in_root
            .iter()
            .flat_map(|i| analyzed[*i].facts.secret_checks.iter().cloned())
            .collect();
        // The keys whose check the fixes of this path argument ask for.
        let wanted: BTreeSet<String> = in_root
            .iter()
            .filter_map(|i| analyzed[*i].report.as_ref())
            .flat_map(|report| &report.diagnostics)
            .filter_map(|d| d.fix.as_ref()?.startup_check.clone())
            .filter(|key| !checked.contains(key))
            .collect();
        // (file, path, key, edits) of every application site.
        let sites: Vec<(usize, PathBuf, String, Vec<Edit>)> = in_root
            .iter()
            .flat_map(|&i| {
                let facts = &analyzed[i].facts;
                let wanted = &wanted;
                facts.apps.iter().flat_map(move |app| {
                    wanted.iter().filter_map(move |key| {
                        let edits = app_fixes::startup_check(&app.facts, key);
                        (!edits.is_empty()).then(|| (i, facts.path.clone(), key.clone(), edits))
                    })
                })
            })
            .collect();
        if sites.is_empty() {
            continue;
        }
        for &i in &in_root {
            let Some(report) = analyzed[i].report.as_mut() else {
                continue;
            };
            for diagnostic in &mut report.diagnostics {
                let Some(fix) = diagnostic.fix.as_mut() else {
                    continue;
                };
                let Some(key) = fix.startup_check.clone() else {
                    continue;
                };
                if checked.contains(&key) {
                    continue;
                }
                for (file, path, _, edits) in sites.iter().filter(|s| s.2 == key) {
                    if *file == i {
                        let mut edits = edits.clone();
                        merge_import_insertions(&mut fix.edits, &mut edits);
                        fix.extend_edits(edits);
                    } else {
                        *fix = std::mem::replace(fix, Fix::safe("", Vec::new())).with_other_file(
                            path.clone(),
                            edits.clone(),
                            Vec::new(),
                        );
                    }
                }
            }
        }
    }
}

/// Two insertions of import lines at the same place (`import os` from one
/// part of a remediation, `import secrets` / `import sys` from another) become
/// one block, sorted as isort does (plain imports, then `from` imports).
fn merge_import_insertions(existing: &mut [Edit], added: &mut Vec<Edit>) {
    let is_imports = |text: &str| {
        text.lines()
            .all(|l| l.is_empty() || l.starts_with("import ") || l.starts_with("from "))
            && text.lines().any(|l| !l.is_empty())
    };
    added.retain(|new| {
        let Some(old) = existing.iter_mut().find(|old| {
            old.range.is_empty()
                && new.range.is_empty()
                && old.range.start() == new.range.start()
                && is_imports(&old.content)
                && is_imports(&new.content)
        }) else {
            return true;
        };
        let eol = if old.content.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let trailing = |t: &str| t.len() - t.trim_end_matches(['\r', '\n']).len();
        let suffix = if trailing(&old.content) >= trailing(&new.content) {
            old.content[old.content.trim_end_matches(['\r', '\n']).len()..].to_owned()
        } else {
            new.content[new.content.trim_end_matches(['\r', '\n']).len()..].to_owned()
        };
        let mut lines: Vec<&str> = old
            .content
            .lines()
            .chain(new.content.lines())
            .filter(|l| !l.is_empty())
            .collect();
        lines.sort_by_key(|l| (l.starts_with("from "), l.to_string()));
        lines.dedup();
        old.content = lines.join(eol) + &suffix;
        false
    });
}

fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by_key(|d| (d.range.start(), d.rule, d.range.end()));
    diagnostics.dedup_by(|a, b| a.rule == b.rule && a.range == b.range);
}

/// Names a file imports from project modules that re-export them (see
/// [`reexports_of`]); empty for most files.
type Reexports = BTreeMap<String, String>;

/// See [`FileContext::project_names`].
type ProjectNames = std::sync::Arc<HashSet<String>>;

/// Every folder name and file stem of `files` (see [`FileContext::project_names`]).
fn project_names(files: &[DiscoveredFile]) -> ProjectNames {
    let mut names = HashSet::default();
    for file in files {
        for part in file.relative.split('/') {
            let name = part.strip_suffix(".py").unwrap_or(part);
            if !names.contains(name) {
                names.insert(name.to_owned());
            }
        }
    }
    std::sync::Arc::new(names)
}

/// The file's text (from `overlay` when it has it), or why it was skipped.
fn read_file(file: &DiscoveredFile, overlay: &Overlay) -> Result<SourceFile, Outcome> {
    let read = match overlay.get(&file.path) {
        Some(bytes) => SourceFile::from_bytes(&file.path, bytes.clone()),
        None => SourceFile::read(&file.path),
    };
    read.map_err(|err| {
        Outcome::Skipped(SkippedFile {
            path: file.path.clone(),
            position: err.position(),
            reason: err.to_string(),
            explicit: file.explicit,
        })
    })
}

/// Analyses one file whose text was read.
fn analyze_source(
    file: &DiscoveredFile,
    source: SourceFile,
    settings: &CheckSettings,
    inputs: &Inputs,
    shared: &Shared,
) -> Outcome {
    let is_test = settings.is_test_path(&file.relative);
    let rules = settings.rules_for(&file.relative, is_test);
    let context = FileContext {
        relative_path: file.relative.clone(),
        is_test,
        is_development_module: file_stem(&file.path).is_some_and(is_development_module),
        reexports: inputs.reexports.clone(),
        cross_module: inputs.cross_module.clone(),
        project_names: Some(shared.names.clone()),
        dependency_aliases: shared.aliases.get(&file.root_index).cloned(),
        imported_names: shared.imported.clone(),
    };
    let (mut result, suppressions, warnings) = match file.kind {
        FileKind::Python => match analyze_python(&source, rules, &context) {
            Ok(checked) => checked,
            Err(skipped) => {
                return Outcome::Skipped(SkippedFile {
                    explicit: file.explicit,
                    ..skipped
                });
            }
        },
        FileKind::Text(kind) => {
            let result = ModuleResult {
                diagnostics: rules::analyze_text_file(kind, &source, rules),
                secrets: if kind == TextFileKind::Flaskenv {
                    rules::hardcoded_secret::env_file_secrets(&source)
                } else {
                    Vec::new()
                },
                facts: project::text_file_facts(kind, &source),
            };
            (result, Suppressions::default(), Vec::new())
        }
    };
    result.facts.path = file.path.clone();
    result.facts.relative = file.relative.clone();
    let mut diagnostics = result.diagnostics;
    diagnostics.retain(|d| rules.contains(d.rule) && !suppressions.suppresses(&source, d));
    sort_diagnostics(&mut diagnostics);
    let may_report = !diagnostics.is_empty()
        || !result.facts.apps.is_empty()
        || !result.facts.cors_candidates.is_empty()
        || !result.facts.authorization.candidates.is_empty();
    Outcome::Checked(
        Box::new(Analyzed {
            report: may_report.then_some(FileReport {
                source,
                diagnostics,
                secrets: result.secrets,
            }),
            facts: result.facts,
            suppressions,
            rules,
            root_index: file.root_index,
            dependency_file: matches!(
                file.kind,
                FileKind::Text(TextFileKind::Requirements | TextFileKind::Pyproject)
            ),
            callees: HashMap::default(),
        }),
        warnings,
    )
}

/// Parses, walks and drops the AST (on the calling worker thread).
fn analyze_python(
    source: &SourceFile,
    rules: RuleSet,
    context: &FileContext,
) -> Result<(ModuleResult, Suppressions, Vec<Warning>), SkippedFile> {
    let parsed = parse_python(source.text());
    if let Some(issue) = parsed.too_deep() {
        // Dropping the tree recurses as deep as it goes: leak it instead (one
        // pathological file; the process ends soon after).
        std::mem::forget(parsed);
        let lc = source.line_col(issue.range.start());
        return Err(SkippedFile {
            path: source.path().to_path_buf(),
            position: Some((lc.line, lc.column)),
            reason: issue.message,
            explicit: false,
        });
    }
    if let Some(issue) = parsed.syntax_issues().first() {
        let lc = source.line_col(issue.range.start());
        return Err(SkippedFile {
            path: source.path().to_path_buf(),
            position: Some((lc.line, lc.column)),
            reason: format!("syntax error: {}", issue.message),
            explicit: false,
        });
    }
    let result = Checker::new(source, &parsed, rules, context).run();
    let (suppressions, unknown) = Suppressions::from_comments(source, parsed.comment_ranges());
    drop(parsed);
    let warnings = unknown
        .into_iter()
        .map(|u| Warning {
            path: source.path().to_path_buf(),
            line: source.line_col(u.range.start()).line,
            message: format!("unknown rule code `{}` in a suppression comment", u.code),
        })
        .collect();
    Ok((result, suppressions, warnings))
}

fn file_stem(path: &Path) -> Option<&str> {
    path.file_stem().and_then(|s| s.to_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(report: &Report) -> Vec<(String, &'static str, usize)> {
        report
            .diagnostics()
            .map(|(file, d)| {
                let name = file.source.path().file_name().unwrap();
                (
                    name.to_string_lossy().into_owned(),
                    d.rule.code(),
                    d.range.start().to_usize(),
                )
            })
            .collect()
    }

    #[test]
    fn session_reports_what_a_fresh_check_reports() {
        let dir = tempfile::tempdir().unwrap();
        let app = dir.path().join("app.py");
        std::fs::write(
            &app,
            "from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("views.py"), "import yaml\nyaml.load(x)\n").unwrap();
        let paths = [dir.path().to_path_buf()];
        let settings = CheckSettings::default();
        let mut session = Session::new(&paths, &settings).unwrap();
        let mut overlay = Overlay::new();
        let first = session.check(&overlay).unwrap();
        assert!(!first.is_empty());
        assert_eq!(
            summary(&first),
            summary(&check_paths_with_overlay(&paths, &settings, &overlay).unwrap())
        );
        // Only app.py changes: views.py keeps its cached results.
        overlay.insert(
            app.clone(),
            b"from flask import Flask\napp = Flask(__name__)\n# hardened\n".to_vec(),
        );
        let second = session.check(&overlay).unwrap();
        assert_ne!(summary(&first), summary(&second));
        assert_eq!(
            summary(&second),
            summary(&check_paths_with_overlay(&paths, &settings, &overlay).unwrap())
        );
        assert_eq!(second.checked, 2);
    }

    #[test]
    fn fastapi_dependency_aliases_of_other_modules_are_not_request_data() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("api");
        std::fs::create_dir(&pkg).unwrap();
        std::fs::write(pkg.join("__init__.py"), "").unwrap();
        let deps = pkg.join("deps.py");
        let alias = |marker: &str| {
            format!(
                "from typing import Annotated\nfrom fastapi import Depends, Query\nfrom sqlalchemy.orm import Session\n\ndef get_session():\n    yield Session()\n\nSessionDep = Annotated[Session, {marker}(get_session)]\n"
            )
        };
        std::fs::write(&deps, alias("Depends")).unwrap();
        std::fs::write(
            pkg.join("helpers.py"),
            "def run(session):\n    return session.execute(session.build())\n",
        )
        .unwrap();
        std::fs::write(
            pkg.join("views.py"),
            "from fastapi import APIRouter\nfrom api.deps import SessionDep\nfrom .helpers import run\n\nrouter = APIRouter()\n\n@router.get('/rows')\ndef rows(session: SessionDep):\n    return run(session)\n",
        )
        .unwrap();
        let paths = [dir.path().to_path_buf()];
        let settings = CheckSettings::default();
        let sql = |report: &Report| -> Vec<String> {
            summary(report)
                .into_iter()
                .filter(|(_, code, _)| *code == "FH302")
                .map(|(file, _, _)| file)
                .collect()
        };
        let fresh = check_paths(&paths, &settings).unwrap();
        assert!(sql(&fresh).is_empty(), "{:?}", summary(&fresh));
        let mut session = Session::new(&paths, &settings).unwrap();
        let mut overlay = Overlay::new();
        assert_eq!(summary(&session.check(&overlay).unwrap()), summary(&fresh));
        // Not a dependency any more: the view's parameter is request data.
        overlay.insert(deps.clone(), alias("Query").into_bytes());
        let changed = session.check(&overlay).unwrap();
        assert_eq!(sql(&changed), ["helpers.py"]);
        assert_eq!(
            summary(&changed),
            summary(&check_paths_with_overlay(&paths, &settings, &overlay).unwrap())
        );
        // And back.
        overlay.insert(deps, alias("Depends").into_bytes());
        assert!(sql(&session.check(&overlay).unwrap()).is_empty());
    }

    #[test]
    fn request_data_is_followed_into_imported_functions_and_follows_changes() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("shop");
        std::fs::create_dir(&pkg).unwrap();
        std::fs::write(pkg.join("__init__.py"), "").unwrap();
        let views = pkg.join("views.py");
        std::fs::write(
            &views,
            "from flask import Flask, request, send_file\nfrom .files import read_doc\nfrom shop.paths import wanted\n\napp = Flask(__name__)\n\n@app.get('/doc')\ndef doc():\n    return read_doc(request.args['name'])\n\n@app.get('/get')\ndef get():\n    return send_file(wanted())\n",
        )
        .unwrap();
        std::fs::write(
            pkg.join("files.py"),
            "import os\n\ndef read_doc(name):\n    return open(os.path.join('/srv', name)).read()\n",
        )
        .unwrap();
        std::fs::write(
            pkg.join("paths.py"),
            "from flask import request\n\ndef wanted():\n    return request.args['path']\n",
        )
        .unwrap();
        let paths = [dir.path().to_path_buf()];
        let settings = CheckSettings::default();
        let found = |report: &Report| -> Vec<(String, &'static str)> {
            summary(report)
                .into_iter()
                .filter(|(_, code, _)| *code == "FH304")
                .map(|(file, code, _)| (file, code))
                .collect()
        };
        let fresh = check_paths(&paths, &settings).unwrap();
        assert_eq!(
            found(&fresh),
            [
                ("files.py".to_owned(), "FH304"),
                ("views.py".to_owned(), "FH304")
            ]
        );
        let (file, diagnostic) = fresh
            .diagnostics()
            .find(|(f, d)| d.rule.code() == "FH304" && f.source.path().ends_with("files.py"))
            .unwrap();
        assert!(file.source.path().ends_with("shop/files.py"));
        assert!(
            diagnostic.message.contains("route `doc` in shop/views.py"),
            "{}",
            diagnostic.message
        );
        let mut session = Session::new(&paths, &settings).unwrap();
        let mut overlay = Overlay::new();
        assert_eq!(summary(&session.check(&overlay).unwrap()), summary(&fresh));
        // The view passes a constant now: the unchanged files.py has nothing.
        overlay.insert(
            views.clone(),
            b"from flask import Flask, request, send_file\nfrom .files import read_doc\nfrom shop.paths import wanted\n\napp = Flask(__name__)\n\n@app.get('/doc')\ndef doc():\n    return read_doc('index.txt')\n\n@app.get('/get')\ndef get():\n    return send_file(wanted())\n"
                .to_vec(),
        );
        let changed = session.check(&overlay).unwrap();
        assert_eq!(found(&changed), [("views.py".to_owned(), "FH304")]);
        assert_eq!(
            summary(&changed),
            summary(&check_paths_with_overlay(&paths, &settings, &overlay).unwrap())
        );
    }

    #[test]
    fn names_re_exported_by_a_project_module_resolve_and_follow_changes() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("svc");
        std::fs::create_dir(&pkg).unwrap();
        let compat = pkg.join("compat.py");
        std::fs::write(
            &compat,
            "from flask_talisman import Talisman as SecureHeaders\nfrom flask_cors import CORS as Cors\n",
        )
        .unwrap();
        std::fs::write(
            pkg.join("__init__.py"),
            "from flask import Flask\nfrom flask_limiter import Limiter\nfrom .compat import Cors, SecureHeaders\n\ndef create_app():\n    app = Flask(__name__)\n    app.config['MAX_CONTENT_LENGTH'] = 1\n    SecureHeaders(app)\n    Limiter(lambda: 'x', app=app)\n    Cors(app)\n    return app\n",
        )
        .unwrap();
        let paths = [dir.path().to_path_buf()];
        let settings = CheckSettings::default();
        let codes = |report: &Report| -> Vec<&'static str> {
            summary(report)
                .into_iter()
                .map(|(_, code, _)| code)
                .collect()
        };
        let fresh = check_paths(&paths, &settings).unwrap();
        // Talisman is applied (no FH202) and the aliased CORS is seen (FH201).
        assert_eq!(codes(&fresh), ["FH201"]);
        let mut session = Session::new(&paths, &settings).unwrap();
        let mut overlay = Overlay::new();
        assert_eq!(summary(&session.check(&overlay).unwrap()), summary(&fresh));
        // compat.py stops re-exporting flask-talisman: the unchanged importer
        // is analysed again and the application lacks headers.
        overlay.insert(
            compat.clone(),
            b"from mylib import Talisman as SecureHeaders\nfrom flask_cors import CORS as Cors\n"
                .to_vec(),
        );
        let changed = session.check(&overlay).unwrap();
        assert_eq!(codes(&changed), ["FH202", "FH201"]);
        assert_eq!(
            summary(&changed),
            summary(&check_paths_with_overlay(&paths, &settings, &overlay).unwrap())
        );
    }
}
