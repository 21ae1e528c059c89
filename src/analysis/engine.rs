//! Runs the analysis over discovered files in parallel: each file is read,
//! decoded, parsed, walked by the [`Checker`] and its AST dropped on a rayon
//! worker with a 64 MiB stack (deep nesting cannot overflow), and only plain data
//! ([`FileReport`]) comes back. Suppressions and per-file rule selection are
//! applied here.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use ruff_text_size::TextRange;

use super::checker::{Checker, FileContext, is_development_module};
use super::diagnostic::Diagnostic;
use super::discovery::{DiscoveredFile, DiscoveryError, FileKind, discover};
use super::parse::parse_python;
use super::rules;
use super::settings::CheckSettings;
use super::source::SourceFile;
use super::suppression::Suppressions;

/// Worker stack size: enough to walk and drop ASTs nested a million deep.
pub const WORKER_STACK_SIZE: usize = 64 << 20;

/// The findings of one analysed file.
#[derive(Debug)]
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
    /// How many files were analysed.
    pub checked: usize,
}

impl Report {
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

enum Outcome {
    Checked(FileReport, Vec<Warning>),
    Skipped(SkippedFile),
}

/// Discovers and analyses every file under `paths`.
pub fn check_paths(paths: &[PathBuf], settings: &CheckSettings) -> Result<Report, EngineError> {
    let files = discover(paths, &settings.exclude)?;
    check_files(&files, settings)
}

/// Analyses already discovered files.
pub fn check_files(
    files: &[DiscoveredFile],
    settings: &CheckSettings,
) -> Result<Report, EngineError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK_SIZE)
        .thread_name(|i| format!("flask-harden-{i}"))
        .build()?;
    let outcomes: Vec<Outcome> = pool.install(|| {
        files
            .par_iter()
            .map(|f| analyze_file(f, settings))
            .collect()
    });
    let mut report = Report::default();
    for outcome in outcomes {
        match outcome {
            Outcome::Checked(file, warnings) => {
                report.checked += 1;
                report.warnings.extend(warnings);
                if !file.diagnostics.is_empty() {
                    report.files.push(file);
                }
            }
            Outcome::Skipped(skipped) => report.skipped.push(skipped),
        }
    }
    Ok(report)
}

fn analyze_file(file: &DiscoveredFile, settings: &CheckSettings) -> Outcome {
    let source = match SourceFile::read(&file.path) {
        Ok(source) => source,
        Err(err) => {
            return Outcome::Skipped(SkippedFile {
                path: file.path.clone(),
                position: None,
                reason: err.to_string(),
            });
        }
    };
    let is_test = settings.is_test_path(&file.relative);
    let rules = settings.rules_for(&file.relative, is_test);
    let context = FileContext {
        relative_path: file.relative.clone(),
        is_test,
        is_development_module: file_stem(&file.path).is_some_and(is_development_module),
    };
    match file.kind {
        FileKind::Python => analyze_python(source, rules, &context),
        FileKind::Text(kind) => {
            let mut diagnostics = rules::analyze_text_file(kind, &source, rules);
            diagnostics.retain(|d| rules.contains(d.rule));
            diagnostics.sort_by_key(|d| (d.range.start(), d.rule));
            Outcome::Checked(
                FileReport {
                    source,
                    diagnostics,
                    secrets: Vec::new(),
                },
                Vec::new(),
            )
        }
    }
}

fn analyze_python(
    source: SourceFile,
    rules: super::registry::RuleSet,
    context: &FileContext,
) -> Outcome {
    let parsed = parse_python(source.text());
    if let Some(issue) = parsed.syntax_issues().first() {
        let lc = source.line_col(issue.range.start());
        return Outcome::Skipped(SkippedFile {
            path: source.path().to_path_buf(),
            position: Some((lc.line, lc.column)),
            reason: format!("syntax error: {}", issue.message),
        });
    }
    let (mut diagnostics, secrets) = Checker::new(&source, &parsed, rules, context).run();
    let (suppressions, unknown) = Suppressions::from_comments(&source, parsed.comment_ranges());
    drop(parsed);
    diagnostics.retain(|d| rules.contains(d.rule) && !suppressions.suppresses(&source, d));
    diagnostics.sort_by_key(|d| (d.range.start(), d.rule));
    diagnostics.dedup_by(|a, b| a.rule == b.rule && a.range == b.range);
    let warnings = unknown
        .into_iter()
        .map(|u| Warning {
            path: source.path().to_path_buf(),
            line: source.line_col(u.range.start()).line,
            message: format!("unknown rule code `{}` in a suppression comment", u.code),
        })
        .collect();
    Outcome::Checked(
        FileReport {
            source,
            diagnostics,
            secrets,
        },
        warnings,
    )
}

fn file_stem(path: &Path) -> Option<&str> {
    path.file_stem().and_then(|s| s.to_str())
}
