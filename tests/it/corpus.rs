//! Recall and precision of `flask-harden check` on the evaluation corpus.
//!
//! Every project under `tests/corpus/<name>/` carries an `expected.txt` with
//! one expected finding per line (`path:LINE[,ALT...] CODE`, see
//! `tests/corpus/README.md`). This module runs the built binary as
//! `check --format json --exit-zero .` with the project folder as the current
//! directory, so that the JSON paths (relative to the current directory) are
//! relative to the project root exactly as `expected.txt` writes them, and so
//! that the `tests/` prefix of the corpus location never makes a project look
//! like test code. It compares (path, line, code) triples, prints a per-code
//! table of true positives, false positives and false negatives, and requires
//! a recall and a precision of at least 0.95 for every code. It also checks
//! that the corpus itself is sound: every `expected.txt` parses and points
//! inside its files, every rule has an expected finding, every Python file
//! compiles and every project's pytest smoke suite passes as written.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::support;

const MIN_RECALL: f64 = 0.95;
const MIN_PRECISION: f64 = 0.95;
/// The issue asks for at least 15 projects; the corpus has 22.
const MIN_PROJECTS: usize = 18;
/// Every code that `check` can report (FH602 exists only in `fix`).
const CATALOGUE: &[&str] = &[
    "FH101", "FH102", "FH103", "FH104", "FH105", "FH106", "FH107", "FH108", "FH201", "FH202",
    "FH203", "FH204", "FH301", "FH302", "FH303", "FH304", "FH305", "FH306", "FH307", "FH308",
    "FH401", "FH402", "FH403", "FH501", "FH601", "FH109", "FH110", "FH111", "FH112", "FH502",
    "FH701",
];

/// One line of an `expected.txt`: the finding may be reported at any of `lines`
/// (the precise line first, then the line that opens the statement).
#[derive(Debug, Clone)]
struct Expected {
    path: String,
    lines: Vec<u64>,
    code: String,
}

/// A finding as `check --format json` reports it, reduced to what is compared.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Reported {
    path: String,
    line: u64,
    code: String,
}

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Tally {
    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
}

/// `num / den`, with an empty denominator counting as perfect (nothing to find
/// or nothing reported).
fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

fn corpus_dir() -> PathBuf {
    support::repo_root().join("tests/corpus")
}

/// The projects of one corpus root: every folder that has an `expected.txt`.
pub(crate) fn projects_in(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = fs::read_dir(root)
        .unwrap_or_else(|e| panic!("reading {}: {e}", root.display()))
        .map(|entry| entry.expect("reading a corpus folder").path())
        .filter(|path| path.join("expected.txt").is_file())
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                path,
            )
        })
        .collect();
    out.sort();
    out
}

/// Parses an `expected.txt`; `#` starts a comment, blank lines are ignored.
fn parse_expected(project: &str, text: &str) -> Vec<Expected> {
    let mut out = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let bad =
            |why: &str| -> ! { panic!("{project}/expected.txt:{}: {why}: {raw:?}", index + 1) };
        let mut fields = line.split_whitespace();
        let (Some(location), Some(code), None) = (fields.next(), fields.next(), fields.next())
        else {
            bad("expected `path:LINE CODE`")
        };
        let Some((path, lines)) = location.rsplit_once(':') else {
            bad("missing `:LINE`")
        };
        let lines: Vec<u64> = lines
            .split(',')
            .map(|n| n.parse().unwrap_or_else(|_| bad("LINE is not a number")))
            .collect();
        if !code.starts_with("FH") || code.len() != 5 {
            bad("CODE must look like FH101");
        }
        out.push(Expected {
            path: path.to_string(),
            lines,
            code: code.to_string(),
        });
    }
    out
}

/// Runs `check` on one project and returns its findings.
fn check_project(name: &str, dir: &Path) -> Vec<Reported> {
    let output = support::flask_harden()
        .args(["check", "--format", "json", "--exit-zero", "."])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("running flask-harden");
    assert!(
        output.status.success(),
        "check on corpus project {name} exited with {}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "check on {name} did not print JSON ({e}):\n{}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    let findings = json
        .as_array()
        .unwrap_or_else(|| panic!("{name}: JSON is not an array"));
    findings
        .iter()
        .map(|f| {
            let field = |key: &str| {
                f.get(key)
                    .unwrap_or_else(|| panic!("{name}: no `{key}` in {f}"))
            };
            let path = field("path")
                .as_str()
                .expect("path is a string")
                .replace('\\', "/");
            let path = path.strip_prefix("./").unwrap_or(&path).to_string();
            Reported {
                path,
                line: field("line").as_u64().expect("line is a number"),
                code: field("code")
                    .as_str()
                    .expect("code is a string")
                    .to_string(),
            }
        })
        .collect()
}

/// Matches expected findings against reported ones. Each reported triple can
/// satisfy one expected entry; exact (first-listed) lines are matched before
/// alternative lines. Returns the unmatched expected entries and reported findings.
fn compare(expected: &[Expected], reported: &[Reported]) -> (Vec<Expected>, Vec<Reported>) {
    // A multiset: two findings of one code reported on the same line (say, two
    // keywords of a multi-line call both reported at its opening line) can
    // satisfy two expected entries.
    let mut unmatched: BTreeMap<Reported, usize> = BTreeMap::new();
    for finding in reported {
        *unmatched.entry(finding.clone()).or_default() += 1;
    }
    let mut missing: Vec<Option<&Expected>> = expected.iter().map(Some).collect();
    let max_alternatives = expected.iter().map(|e| e.lines.len()).max().unwrap_or(0);
    for rank in 0..max_alternatives {
        for slot in missing.iter_mut() {
            let Some(entry) = *slot else { continue };
            let Some(&line) = entry.lines.get(rank) else {
                continue;
            };
            let key = Reported {
                path: entry.path.clone(),
                line,
                code: entry.code.clone(),
            };
            if let Some(count) = unmatched.get_mut(&key).filter(|count| **count > 0) {
                *count -= 1;
                *slot = None;
            }
        }
    }
    let extra = unmatched
        .into_iter()
        .flat_map(|(finding, count)| std::iter::repeat_n(finding, count))
        .collect();
    (missing.into_iter().flatten().cloned().collect(), extra)
}

/// Checks that every `expected.txt` under `root` parses, points inside its
/// files, names catalogue codes and has no duplicate entry. Returns the codes
/// covered and the number of fully secure projects (empty `expected.txt`).
pub(crate) fn check_expected_files(root: &Path) -> (BTreeSet<String>, usize) {
    let mut covered = BTreeSet::new();
    let mut secure = 0;
    for (name, dir) in &projects_in(root) {
        let text = fs::read_to_string(dir.join("expected.txt")).unwrap();
        let expected = parse_expected(name, &text);
        secure += usize::from(expected.is_empty());
        for entry in &expected {
            let file = dir.join(&entry.path);
            let bytes = fs::read(&file).unwrap_or_else(|e| panic!("{name}/{}: {e}", entry.path));
            let line_count = bytes.split(|&b| b == b'\n').count() as u64;
            for &line in &entry.lines {
                assert!(
                    (1..=line_count).contains(&line),
                    "{name}/{}:{line} is outside the file",
                    entry.path
                );
            }
            assert!(
                CATALOGUE.contains(&entry.code.as_str()),
                "{name}: unknown code {}",
                entry.code
            );
            // The same line may be listed twice when two findings of one code
            // sit on it (two keywords of one call): the scorer matches each.
            covered.insert(entry.code.clone());
        }
    }
    (covered, secure)
}

#[test]
fn expected_files_are_well_formed_and_cover_the_catalogue() {
    let projects = projects_in(&corpus_dir());
    assert!(
        projects.len() >= MIN_PROJECTS,
        "only {} corpus projects",
        projects.len()
    );
    let (covered, secure) = check_expected_files(&corpus_dir());
    assert!(
        secure >= 4,
        "only {secure} fully secure projects (empty expected.txt)"
    );
    let uncovered: Vec<_> = CATALOGUE
        .iter()
        .filter(|c| !covered.contains(**c))
        .collect();
    assert!(
        uncovered.is_empty(),
        "codes without an expected finding: {uncovered:?}"
    );
}

/// The result of running `check` on every project of one corpus root.
pub(crate) struct Score {
    /// Per code: true positives, false positives, false negatives.
    tallies: BTreeMap<String, Tally>,
    /// The per-code table (TP, FP, FN, recall, precision) and a total line.
    pub(crate) table: String,
    /// Every false negative (`FN`) and false positive (`FP`), one a line.
    pub(crate) differences: String,
}

impl Score {
    /// Recall and precision of all codes pooled.
    pub(crate) fn overall(&self) -> (f64, f64) {
        let mut total = Tally::default();
        for t in self.tallies.values() {
            total.tp += t.tp;
            total.fp += t.fp;
            total.fn_ += t.fn_;
        }
        (total.recall(), total.precision())
    }

    /// The codes whose recall or precision is below the given floors, described.
    pub(crate) fn failing(&self, min_recall: f64, min_precision: f64) -> Vec<String> {
        self.tallies
            .iter()
            .filter(|(_, t)| t.recall() < min_recall || t.precision() < min_precision)
            .map(|(code, t)| {
                format!(
                    "{code} (recall {:.3}, precision {:.3})",
                    t.recall(),
                    t.precision()
                )
            })
            .collect()
    }
}

/// Runs `check` on every project under `root` and scores it against the
/// projects' `expected.txt` files; `label` names the corpus in the table.
pub(crate) fn score(label: &str, root: &Path) -> Score {
    let projects = projects_in(root);
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut differences = String::new();
    for (name, dir) in &projects {
        let expected = parse_expected(name, &fs::read_to_string(dir.join("expected.txt")).unwrap());
        let reported = check_project(name, dir);
        for entry in &expected {
            tallies.entry(entry.code.clone()).or_default().tp += 1;
        }
        let (missing, extra) = compare(&expected, &reported);
        for entry in &missing {
            let tally = tallies.entry(entry.code.clone()).or_default();
            tally.tp -= 1;
            tally.fn_ += 1;
            let lines: Vec<String> = entry.lines.iter().map(u64::to_string).collect();
            writeln!(
                differences,
                "  FN {name}/{}:{} {}",
                entry.path,
                lines.join(","),
                entry.code
            )
            .unwrap();
        }
        for finding in &extra {
            tallies.entry(finding.code.clone()).or_default().fp += 1;
            writeln!(
                differences,
                "  FP {name}/{}:{} {}",
                finding.path, finding.line, finding.code
            )
            .unwrap();
        }
    }

    let mut table = format!(
        "{label}: {} projects\n{:<7} {:>4} {:>4} {:>4} {:>7} {:>9}\n",
        projects.len(),
        "code",
        "TP",
        "FP",
        "FN",
        "recall",
        "precision"
    );
    let mut total = Tally::default();
    for (code, t) in &tallies {
        total.tp += t.tp;
        total.fp += t.fp;
        total.fn_ += t.fn_;
        writeln!(
            table,
            "{code:<7} {:>4} {:>4} {:>4} {:>7.3} {:>9.3}",
            t.tp,
            t.fp,
            t.fn_,
            t.recall(),
            t.precision()
        )
        .unwrap();
    }
    writeln!(
        table,
        "{:<7} {:>4} {:>4} {:>4} {:>7.3} {:>9.3}",
        "all",
        total.tp,
        total.fp,
        total.fn_,
        total.recall(),
        total.precision()
    )
    .unwrap();
    Score {
        tallies,
        table,
        differences,
    }
}

#[test]
fn check_meets_recall_and_precision_on_the_corpus() {
    let projects = projects_in(&corpus_dir());
    assert!(
        projects.len() >= MIN_PROJECTS,
        "only {} corpus projects",
        projects.len()
    );
    let score = score("corpus", &corpus_dir());
    println!("{}", score.table);
    if !score.differences.is_empty() {
        println!("differences:\n{}", score.differences);
    }
    let failing = score.failing(MIN_RECALL, MIN_PRECISION);
    assert!(
        failing.is_empty(),
        "below {MIN_RECALL} recall / {MIN_PRECISION} precision: {}\n{}\n{}",
        failing.join(", "),
        score.table,
        score.differences
    );
}

#[test]
fn compare_prefers_exact_lines_and_counts_each_finding_once() {
    let expected = parse_expected(
        "unit",
        "# comment\napp.py:15,13 FH204  # keyword line, call line\napp.py:16,13 FH204\napp.py:7 FH108\n",
    );
    let found = |line, code: &str| Reported {
        path: "app.py".into(),
        line,
        code: code.into(),
    };
    // One finding at the opening line satisfies one entry, not both.
    let (missing, extra) = compare(&expected, &[found(13, "FH204"), found(7, "FH108")]);
    assert_eq!(missing.len(), 1);
    assert!(extra.is_empty());
    // Two findings at the opening line satisfy both entries.
    let (missing, extra) = compare(
        &expected,
        &[found(13, "FH204"), found(13, "FH204"), found(7, "FH108")],
    );
    assert!(missing.is_empty());
    assert!(extra.is_empty());
    // A finding reported twice on its exact line counts once; the copy is a false positive.
    let (missing, extra) = compare(
        &expected,
        &[
            found(7, "FH108"),
            found(7, "FH108"),
            found(15, "FH204"),
            found(16, "FH204"),
        ],
    );
    assert!(missing.is_empty());
    assert_eq!(extra, vec![found(7, "FH108")]);
    // Exact lines match; a finding at an unexpected line is a false positive.
    let (missing, extra) = compare(
        &expected,
        &[found(15, "FH204"), found(16, "FH204"), found(8, "FH108")],
    );
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].code, "FH108");
    assert_eq!(extra, vec![found(8, "FH108")]);
}

/// Compiles every Python file of every project under `root` and runs each
/// project's pytest smoke suite in the shared virtualenv; returns the failures.
pub(crate) fn compile_and_smoke(root: &Path) -> Vec<String> {
    let venv = support::venv();
    let cache = support::target_dir().join("corpus-pycache");
    let mut failures = Vec::new();
    for (name, dir) in projects_in(root) {
        let mut sources = Vec::new();
        collect_python_files(&dir, &mut sources);
        let compiled = support::run(
            venv.python()
                .args(["-m", "py_compile"])
                .args(&sources)
                .env("PYTHONPYCACHEPREFIX", &cache),
        );
        if let Err(err) = compiled {
            failures.push(format!("{name}: py_compile\n{err}"));
        }
        let smoke = support::run(
            venv.python()
                .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"])
                .current_dir(&dir)
                .env("PYTHONDONTWRITEBYTECODE", "1"),
        );
        if let Err(err) = smoke {
            failures.push(format!("{name}: smoke suite\n{err}"));
        }
    }
    failures
}

#[test]
fn corpus_projects_compile_and_their_smoke_suites_pass() {
    let failures = compile_and_smoke(&corpus_dir());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn collect_python_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_python_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "py") {
            out.push(path);
        }
    }
}
