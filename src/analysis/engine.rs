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
use super::context::FileContext;
use super::diagnostic::{Diagnostic, Edit, Fix};
use super::discovery::{
    DiscoveredFile, DiscoveryError, FileKind, TextFileKind, UnfollowedLink, discover,
};
use super::parse::parse_python;
use super::project::{self, ModuleFacts, ProjectModel};
use super::rules;
use super::schedule::files_largest_first;
use super::settings::CheckSettings;
use super::source::SourceFile;
use super::suppression::Suppressions;

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
    let none = Reexports::new();
    let all: Vec<usize> = (0..files.len()).collect();
    let mut outcomes: Vec<Outcome> = files_largest_first(&pool, files, &all, overlay, |i| {
        analyze_file(&files[i], settings, overlay, &none)
    });
    // A second look at the few files that import re-exported names.
    let reexports = reexports_of(files, outcomes.iter());
    let again: Vec<usize> = (0..files.len())
        .filter(|&i| !reexports[i].is_empty())
        .collect();
    let fresh: Vec<Outcome> = files_largest_first(&pool, files, &again, overlay, |k| {
        let i = again[k];
        analyze_file(&files[i], settings, overlay, &reexports[i])
    });
    for (i, outcome) in again.into_iter().zip(fresh) {
        outcomes[i] = outcome;
    }
    Ok(assemble(&pool, files, outcomes))
}

/// For each file, the names it imports (`from .compat import SecureHeaders`)
/// from a module of the same project that itself imports them from a package
/// (`from flask_talisman import Talisman as SecureHeaders` in compat.py): local
/// name -> origin, so that the file's rules see `flask_talisman.Talisman`.
fn reexports_of<'o>(
    files: &[DiscoveredFile],
    outcomes: impl Iterator<Item = &'o Outcome> + Clone,
) -> Vec<Reexports> {
    let mut out = vec![Reexports::new(); files.len()];
    let roots: BTreeSet<usize> = files.iter().map(|f| f.root_index).collect();
    for root in roots {
        let model = ProjectModel::new(
            outcomes
                .clone()
                .enumerate()
                .filter_map(|(i, outcome)| match outcome {
                    Outcome::Checked(a, _) if a.root_index == root => Some((i, &a.facts)),
                    _ => None,
                })
                .collect(),
        );
        // Cheap filter first: only names some module re-exports at all.
        let exported: rustc_hash::FxHashSet<&str> = model
            .modules
            .iter()
            .flat_map(|(_, f)| f.reexports.keys().map(String::as_str))
            .collect();
        if exported.is_empty() {
            continue;
        }
        let index = model.index();
        for &(i, facts) in &model.modules {
            for import in &facts.from_imports {
                if !exported.contains(import.name.as_str()) {
                    continue;
                }
                let Some(origin) = index
                    .resolve(&facts.relative, import.level, &import.module)
                    .filter(|target| !std::ptr::eq(*target, facts))
                    .and_then(|target| target.reexports.get(&import.name))
                else {
                    continue;
                };
                // An absolute import that already names the origin changes nothing.
                if import.level == 0 && *origin == format!("{}.{}", import.module, import.name) {
                    continue;
                }
                out[i].insert(import.local.clone(), origin.clone());
            }
        }
    }
    out
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

/// A file's outcome, the overlay bytes and the re-exports it was analysed with.
struct Cached {
    input: Option<Vec<u8>>,
    reexports: Reexports,
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
        if !stale.is_empty() {
            // With the re-exports each file had (new files: none yet).
            let previous: Vec<Reexports> = stale
                .iter()
                .map(|&i| {
                    self.cache[i]
                        .as_ref()
                        .map(|c| c.reexports.clone())
                        .unwrap_or_default()
                })
                .collect();
            let fresh: Vec<Outcome> = files_largest_first(pool, files, &stale, overlay, |k| {
                analyze_file(&files[stale[k]], settings, overlay, &previous[k])
            });
            for ((i, outcome), reexports) in stale.into_iter().zip(fresh).zip(previous) {
                let input = overlay.get(&files[i].path).cloned();
                self.cache[i] = Some(Cached {
                    input,
                    reexports,
                    outcome,
                });
            }
        }
        // Files whose re-exported names changed are analysed again with them.
        let reexports = reexports_of(
            files,
            self.cache
                .iter()
                .map(|c| &c.as_ref().expect("every file analysed").outcome),
        );
        let again: Vec<usize> = (0..files.len())
            .filter(|&i| {
                self.cache[i]
                    .as_ref()
                    .is_some_and(|c| c.reexports != reexports[i])
            })
            .collect();
        if !again.is_empty() {
            let fresh: Vec<Outcome> = files_largest_first(pool, files, &again, overlay, |k| {
                let i = again[k];
                analyze_file(&files[i], settings, overlay, &reexports[i])
            });
            for (i, outcome) in again.into_iter().zip(fresh) {
                if let Some(cached) = &mut self.cache[i] {
                    cached.reexports = reexports[i].clone();
                    cached.outcome = outcome;
                }
            }
        }
        // The report owns its outcomes: copied on the workers (thousands of
        // small allocations).
        let cache = &self.cache;
        let outcomes = pool.install(|| {
            cache
                .par_iter()
                .map(|c| c.as_ref().expect("every file analysed").outcome.clone())
                .collect()
        });
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

fn analyze_file(
    file: &DiscoveredFile,
    settings: &CheckSettings,
    overlay: &Overlay,
    reexports: &Reexports,
) -> Outcome {
    let read = match overlay.get(&file.path) {
        Some(bytes) => SourceFile::from_bytes(&file.path, bytes.clone()),
        None => SourceFile::read(&file.path),
    };
    let source = match read {
        Ok(source) => source,
        Err(err) => {
            return Outcome::Skipped(SkippedFile {
                path: file.path.clone(),
                position: err.position(),
                reason: err.to_string(),
                explicit: file.explicit,
            });
        }
    };
    let is_test = settings.is_test_path(&file.relative);
    let rules = settings.rules_for(&file.relative, is_test);
    let context = FileContext {
        relative_path: file.relative.clone(),
        is_test,
        is_development_module: file_stem(&file.path).is_some_and(is_development_module),
        reexports: reexports.clone(),
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
