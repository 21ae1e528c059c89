//! Per-rule fixtures. `tests/fixtures/rules/FHxxx.<ext>` hold cases separated by
//! blank lines under `# OK` and `# Error` headers: every `# Error` case must
//! produce a finding of the rule inside its lines, no `# OK` case may produce
//! one. Project-level rules use folders `tests/fixtures/rules/FHxxx/<case>/`
//! (small projects) whose findings must be exactly the lines marked
//! `# expect: FHxxx`. The diagnostics, with each fix as a diff (re-parsed to
//! prove it keeps the syntax valid), are snapshotted in `snapshots/`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use flask_harden::analysis::Applicability;
use flask_harden::analysis::codes::{Rule, RuleSet};
use flask_harden::analysis::discovery::{DiscoveredFile, FileKind, TextFileKind, classify};
use flask_harden::analysis::engine::{Report, check_files, check_paths};
use flask_harden::analysis::registry::FixAvailability;
use flask_harden::analysis::settings::CheckSettings;

use crate::support::repo_root;

/// Codes with fixtures. Add a code here when its rule is implemented.
const FIXTURES: &[&str] = &[
    "FH101", "FH102", "FH103", "FH104", "FH105", "FH106", "FH107", "FH108", "FH201", "FH202",
    "FH203", "FH204", "FH301", "FH302", "FH303", "FH304", "FH305", "FH306", "FH307", "FH308",
    "FH401", "FH402", "FH403", "FH501", "FH601", "FH109", "FH110", "FH111", "FH112", "FH502",
    "FH701",
];

#[derive(Debug, PartialEq)]
enum Expect {
    Ok,
    Error,
}

struct Case {
    expect: Expect,
    lines: std::ops::RangeInclusive<usize>,
}

fn cases(text: &str) -> Vec<Case> {
    let mut out = Vec::new();
    let mut expect: Option<bool> = None; // Some(true) = OK
    let mut start: Option<usize> = None;
    let mut flush = |start: &mut Option<usize>, expect: Option<bool>, last: usize| {
        if let (Some(s), Some(ok)) = (start.take(), expect) {
            let expect = if ok { Expect::Ok } else { Expect::Error };
            out.push(Case {
                expect,
                lines: s..=last,
            });
        }
    };
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let number = i + 1;
        let trimmed = line.trim();
        if trimmed == "# OK" || trimmed == "# Error" {
            flush(&mut start, expect, number - 1);
            expect = Some(trimmed == "# OK");
        } else if trimmed.is_empty() {
            flush(&mut start, expect, number - 1);
        } else if start.is_none() && expect.is_some() {
            start = Some(number);
        }
    }
    flush(&mut start, expect, lines.len());
    out
}

fn fixture_files(code: &str) -> Vec<PathBuf> {
    let dir = repo_root().join("tests/fixtures/rules");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_stem().is_some_and(|s| s == code))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixture for {code}");
    files
}

fn kind_of(path: &Path) -> FileKind {
    match path.extension().and_then(|e| e.to_str()) {
        Some("flaskenv") => FileKind::Text(TextFileKind::Flaskenv),
        Some("toml") => FileKind::Text(TextFileKind::Pyproject),
        Some("txt") => FileKind::Text(TextFileKind::Requirements),
        _ => classify(path).unwrap_or(FileKind::Python),
    }
}

fn settings_for(rule: Rule) -> CheckSettings {
    CheckSettings {
        rules: [rule].into_iter().collect::<RuleSet>(),
        ..CheckSettings::default()
    }
}

/// Renders every diagnostic of a report (with each fix as a diff) and returns
/// the text plus the (relative path, line) of each finding.
fn render(report: &Report, rule: Rule, base: &Path) -> (String, Vec<(String, usize)>) {
    let mut found = Vec::new();
    let mut snapshot = String::new();
    for (file, diagnostic) in report.diagnostics() {
        assert_eq!(diagnostic.rule, rule);
        let name = file
            .source
            .path()
            .strip_prefix(base)
            .unwrap_or(file.source.path())
            .to_string_lossy()
            .replace('\\', "/");
        let start = file.source.line_col(diagnostic.range.start());
        let end = file.source.line_col(diagnostic.range.end());
        found.push((name.clone(), start.line));
        writeln!(
            snapshot,
            "{name}:{}:{}-{}:{} {} [{}] {}",
            start.line,
            start.column,
            end.line,
            end.column,
            diagnostic.rule.code(),
            diagnostic.severity,
            diagnostic.message
        )
        .unwrap();
        let (shown, _, _) = flask_harden::output::masked_line(file, diagnostic.range);
        writeln!(snapshot, "    | {}", shown.trim_end()).unwrap();
        let Some(fix) = &diagnostic.fix else { continue };
        writeln!(
            snapshot,
            "    fix ({}): {}",
            fix.applicability.as_str(),
            fix.message
        )
        .unwrap();
        if fix.edits.is_empty() {
            continue;
        }
        let fixed = fix.apply(file.source.text()).expect("edits apply");
        let diff = similar::TextDiff::from_lines(file.source.text(), &fixed);
        let unified = diff.unified_diff().context_radius(1).to_string();
        for line in unified.lines() {
            writeln!(snapshot, "    {line}").unwrap();
        }
        if file.source.path().extension().is_some_and(|e| e == "py") {
            let reparsed = flask_harden::analysis::parse::parse_python(&fixed);
            assert!(
                reparsed.is_valid(),
                "{name}: fix breaks syntax: {:?}\n{fixed}",
                reparsed.syntax_issues()
            );
        }
        for other in &fix.other_files {
            let other_name = other
                .path
                .strip_prefix(base)
                .unwrap_or(&other.path)
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&other.path).unwrap();
            let edits = flask_harden::analysis::Fix::safe("", other.edits.clone());
            let fixed = edits.apply(&text).expect("edits apply");
            writeln!(snapshot, "    and in {other_name}:").unwrap();
            let diff = similar::TextDiff::from_lines(text.as_str(), &fixed);
            let unified = diff.unified_diff().context_radius(1).to_string();
            for line in unified.lines() {
                writeln!(snapshot, "    {line}").unwrap();
            }
            let reparsed = flask_harden::analysis::parse::parse_python(&fixed);
            assert!(
                reparsed.is_valid(),
                "{other_name}: fix breaks syntax\n{fixed}"
            );
        }
    }
    (snapshot, found)
}

/// Checks one fixture file for one rule against its `# OK` / `# Error` cases;
/// returns the snapshot text.
fn check_fixture(rule: Rule, path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let file = DiscoveredFile {
        path: path.to_path_buf(),
        relative: name.clone(),
        kind: kind_of(path),
        root_index: 0,
        explicit: true,
    };
    let report = check_files(&[file], &settings_for(rule)).unwrap();
    assert!(
        report.skipped.is_empty(),
        "{name} skipped: {:?}",
        report.skipped
    );
    let (snapshot, found) = render(&report, rule, path.parent().unwrap());
    for case in cases(&text) {
        let hits = found.iter().filter(|(_, l)| case.lines.contains(l)).count();
        match case.expect {
            Expect::Error => assert!(
                hits > 0,
                "{name}: no {rule} finding in the # Error case at lines {:?}",
                case.lines
            ),
            Expect::Ok => assert_eq!(
                hits, 0,
                "{name}: {rule} finding in the # OK case at lines {:?}",
                case.lines
            ),
        }
    }
    snapshot
}

/// Checks a project fixture folder: the findings must be exactly the lines
/// marked `# expect: FHxxx`.
fn check_project_fixture(rule: Rule, dir: &Path) -> String {
    let report = check_paths(&[dir.to_path_buf()], &settings_for(rule)).unwrap();
    assert!(
        report.skipped.is_empty(),
        "{} skipped: {:?}",
        dir.display(),
        report.skipped
    );
    let (snapshot, mut found) = render(&report, rule, dir);
    let marker = format!("# expect: {}", rule.code());
    let mut expected = Vec::new();
    for (relative, _) in crate::support::read_tree(dir) {
        let text = std::fs::read_to_string(dir.join(&relative)).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            if line.contains(&marker) {
                expected.push((relative.clone(), i + 1));
            }
        }
    }
    found.sort();
    expected.sort();
    assert_eq!(
        found,
        expected,
        "{}: findings differ from `{marker}` markers",
        dir.display()
    );
    snapshot
}

#[test]
fn rule_fixtures() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo_root().join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for code in FIXTURES {
            let rule = Rule::from_code(code).unwrap();
            for path in fixture_files(code) {
                if path.is_dir() {
                    let mut cases: Vec<PathBuf> = std::fs::read_dir(&path)
                        .unwrap()
                        .map(|e| e.unwrap().path())
                        .filter(|p| p.is_dir())
                        .collect();
                    cases.sort();
                    assert!(!cases.is_empty(), "{} has no case folders", path.display());
                    for case in cases {
                        let snapshot = check_project_fixture(rule, &case);
                        let name = case.file_name().unwrap().to_string_lossy().into_owned();
                        insta::assert_snapshot!(format!("rule_{code}_{name}"), snapshot);
                    }
                } else {
                    let snapshot = check_fixture(rule, &path);
                    let name = path
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .replace('.', "_");
                    insta::assert_snapshot!(format!("rule_{name}"), snapshot);
                }
            }
        }
    });
}

#[test]
fn every_implemented_rule_has_a_fixture() {
    // FH602 is never reported by `check` (its fix is a follow-up of FH202/
    // FH203/FH301, tested in deps::hardening_dependencies_go_where_...).
    for rule in Rule::all()
        .filter(|r| r.is_implemented())
        .filter(|r| *r != Rule::MissingHardeningDependency)
    {
        assert!(
            FIXTURES.contains(&rule.code()),
            "{rule} has no fixture in FIXTURES"
        );
    }
}

/// The fixes a rule's fixtures show: (safe, unsafe, no fix) counts over every
/// finding of every fixture file and project folder of `code`.
fn fixture_fix_counts(code: &str) -> (usize, usize, usize) {
    let rule = Rule::from_code(code).unwrap();
    let mut reports = Vec::new();
    for path in fixture_files(code) {
        if path.is_dir() {
            for case in std::fs::read_dir(&path).unwrap() {
                let case = case.unwrap().path();
                if case.is_dir() {
                    reports.push(check_paths(&[case], &settings_for(rule)).unwrap());
                }
            }
        } else {
            let file = DiscoveredFile {
                path: path.clone(),
                relative: path.file_name().unwrap().to_string_lossy().into_owned(),
                kind: kind_of(&path),
                root_index: 0,
                explicit: true,
            };
            reports.push(check_files(&[file], &settings_for(rule)).unwrap());
        }
    }
    let (mut safe, mut unsafe_, mut none) = (0, 0, 0);
    for report in &reports {
        for (_, diagnostic) in report.diagnostics() {
            match diagnostic.fix.as_ref().map(|f| f.applicability) {
                Some(Applicability::Safe) => safe += 1,
                Some(Applicability::Unsafe) => unsafe_ += 1,
                None => none += 1,
            }
        }
    }
    (safe, unsafe_, none)
}

/// Each rule's declared [`FixAvailability`] (its `RULE` declaration, shown by
/// `rule --all`) agrees with the fixes its fixtures produce.
#[test]
fn declared_fix_availability_matches_the_fixtures() {
    let mut disagreements = Vec::new();
    for rule in Rule::all() {
        let info = rule.info();
        if rule == Rule::MissingHardeningDependency {
            // FH602 has no fixture: `check` never reports it, `fix` adds the
            // dependency as a follow-up of FH202/FH203/FH301 (its safe edits
            // are tested in deps::hardening_dependencies_go_where_...).
            assert_eq!(info.fix, FixAvailability::Safe);
            continue;
        }
        let (safe, unsafe_, none) = fixture_fix_counts(info.code);
        assert!(
            safe + unsafe_ + none > 0,
            "{}: no finding in the fixtures",
            info.code
        );
        if rule == Rule::VulnerableDependency {
            // Known disagreement: FH601 is declared `Safe` (`rule --all` and
            // `rule FH601` print "safe") because RULES.md's catalogue row gives
            // its fix column as "safe: raise the requirement to the first fixed
            // version", and `rule --all` prints each rule's column; its
            // `## Fix safety` and fixtures also have unsafe fixes (a raise
            // across a major version) and withheld ones. Pinned here until
            // the catalogue row changes; then declare a value for "safe,
            // unsafe or report only" and drop this exception.
            assert_eq!(info.fix, FixAvailability::Safe);
            assert!(
                safe > 0 && unsafe_ > 0 && none > 0,
                "FH601: {safe}/{unsafe_}/{none}"
            );
            continue;
        }
        let agrees = match info.fix {
            FixAvailability::None => safe == 0 && unsafe_ == 0,
            FixAvailability::Safe => safe > 0 && unsafe_ == 0,
            FixAvailability::Unsafe => safe == 0 && unsafe_ > 0,
            FixAvailability::SafeOrUnsafe => safe > 0 && unsafe_ > 0,
            FixAvailability::Sometimes => safe > 0 && unsafe_ == 0 && none > 0,
            FixAvailability::SometimesUnsafe => safe == 0 && unsafe_ > 0 && none > 0,
        };
        if !agrees {
            disagreements.push(format!(
                "{}: declared fix availability {:?}, but the fixtures show {safe} safe, \
                 {unsafe_} unsafe and {none} unfixed findings",
                info.code, info.fix
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn case_splitting() {
    let parsed = cases("import x\n\n# Error\na\nb\n\nc\n# OK\nd\n");
    let summary: Vec<_> = parsed
        .iter()
        .map(|c| (c.lines.clone(), c.expect == Expect::Ok))
        .collect();
    assert_eq!(summary, vec![(4..=5, false), (7..=7, false), (9..=9, true)]);
}

/// Each fix of the request-data rules, of FH106 (which deletes code) and of
/// the FH109-FH111 configuration switches,
/// applied alone to its fixture, leaves code that no longer has that finding
/// (and no new finding of the rule elsewhere): a second `fix` pass has nothing
/// left to do for it.
#[test]
fn fixes_remove_their_own_finding() {
    let dir = tempfile::tempdir().unwrap();
    for code in [
        "FH106", "FH301", "FH302", "FH306", "FH109", "FH110", "FH111",
    ] {
        let rule = Rule::from_code(code).unwrap();
        let path = repo_root().join(format!("tests/fixtures/rules/{code}.py"));
        let check = |path: &Path| {
            let file = DiscoveredFile {
                path: path.to_path_buf(),
                relative: path.file_name().unwrap().to_string_lossy().into_owned(),
                kind: FileKind::Python,
                root_index: 0,
                explicit: true,
            };
            check_files(&[file], &settings_for(rule)).unwrap()
        };
        let report = check(&path);
        let before = report.len();
        let mut fixes = 0;
        for (file, diagnostic) in report.diagnostics() {
            let Some(fix) = diagnostic.fix.as_ref().filter(|f| !f.edits.is_empty()) else {
                continue;
            };
            fixes += 1;
            let fixed = fix.apply(file.source.text()).expect("edits apply");
            let target = dir.path().join(format!("{code}.py"));
            std::fs::write(&target, &fixed).unwrap();
            let after = check(&target);
            assert_eq!(
                after.len(),
                before - 1,
                "{code}: the fix at line {} does not remove exactly its own finding:\n{fixed}",
                file.source.line_col(diagnostic.range.start()).line
            );
        }
        assert!(fixes > 0, "{code}: no fix to try");
    }
}
