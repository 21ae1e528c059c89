//! The convergence loop. Each pass analyses the project (pending changes come
//! from an in-memory [`Overlay`], nothing is written), takes the fixable
//! findings of every file in order, skips fixes that overlap one already taken
//! (they come back in the next pass), asks the caller about each remediation,
//! applies the accepted ones, checks that Python files still parse and repeats
//! until a pass changes nothing. Every remediation keeps the diff of its own
//! edits against the text it was applied to. Follow-up changes in other files
//! (`.env.example`, `.gitignore`, dependency files) come last, from
//! [`super::project`].

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::analysis::engine::{EngineError, FileReport, Overlay, Report, Session};
use crate::analysis::parse::parse_python;
use crate::analysis::settings::CheckSettings;
use crate::analysis::{
    Applicability, Dependency, Diagnostic, FileEdits, Fix, Rule, Severity, SourceFile,
};

use super::apply::EditSet;
use super::diff::fix_diff;
use super::encode::encode;
use super::project::{self, FollowUp};

/// At most this many analysis passes; more means the fixes do not converge.
pub const MAX_PASSES: usize = 10;

/// What `fix` does with the remediations it finds.
#[derive(Debug, Clone, Copy, Default)]
pub struct FixOptions {
    /// Also take fixes marked unsafe.
    pub unsafe_fixes: bool,
}

/// One remediation: one finding's fix (or one follow-up change) in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remediation {
    /// The rule whose finding it remedies.
    pub rule: Rule,
    /// The finding's severity.
    pub severity: Severity,
    /// Safe or unsafe.
    pub applicability: Applicability,
    /// The file it changes.
    pub path: PathBuf,
    /// The 1-based line of the finding (0 for follow-ups in other files).
    pub line: usize,
    /// What changes.
    pub what: String,
    /// Why (the finding's message; never contains a secret).
    pub why: String,
    /// The unified diff of this remediation alone, secrets masked.
    pub diff: String,
    /// Environment variables the changed code now reads (sorted).
    pub env_vars: Vec<String>,
    /// Packages the changed code imports (added to the dependency files).
    pub dependencies: Vec<Dependency>,
}

/// The caller's answer about one remediation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Apply it.
    Apply,
    /// Leave it out (it is not proposed again in this run).
    Skip,
    /// Stop: apply what was accepted so far, nothing more.
    Quit,
}

/// A file `fix` would write.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// The bytes analysed (`None`: the file is created).
    pub original: Option<Vec<u8>>,
    /// The bytes to write.
    pub new: Vec<u8>,
}

/// A finding that stays after fixing, and why.
#[derive(Debug, Clone)]
pub struct Leftover {
    /// The rule.
    pub rule: Rule,
    /// The file.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// The finding's message (what a person has to do).
    pub message: String,
    /// Why it was not fixed.
    pub reason: LeftoverReason,
}

/// Why a finding was not fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftoverReason {
    /// The rule has no automatic fix for it (report only).
    ReportOnly,
    /// The fix is unsafe and `--unsafe-fixes` was not given.
    Unsafe,
    /// Declined at the prompt, or the run was stopped.
    Declined,
    /// The fix was dropped (it did not parse, or could not be encoded).
    Dropped,
    /// The fix was withheld: the package its code imports cannot be added to
    /// the project's dependencies (the message says why).
    Withheld,
}

/// Everything a `fix` run found, decided and would write.
#[derive(Debug, Default)]
pub struct FixPlan {
    /// Accepted remediations in the order they were found.
    pub remediations: Vec<Remediation>,
    /// Final contents per file.
    pub changes: BTreeMap<PathBuf, FileChange>,
    /// Internal errors and files left alone (printed as warnings; exit 2).
    pub problems: Vec<String>,
    /// Findings that remain, with the reason.
    pub leftovers: Vec<Leftover>,
    /// Other things for a person to do (a dependency with no file to add it to).
    pub notes: Vec<String>,
    /// The analysis of the last pass (skipped files, warnings).
    pub last_report: Report,
    /// Whether the user stopped the run.
    pub quit: bool,
}

/// Why a fix run could not start.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// Discovery or the worker pool failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// The identity of a remediation across passes (offsets shift, the text does not).
type Key = (PathBuf, Rule, Vec<(String, String)>);

fn key(file: &FileReport, rule: Rule, fix: &Fix) -> Key {
    let text = file.source.text();
    let edits = fix
        .edits
        .iter()
        .map(|e| {
            let old = text.get(e.range.start().to_usize()..e.range.end().to_usize());
            (old.unwrap_or_default().to_owned(), e.content.clone())
        })
        .collect();
    (file.source.path().to_path_buf(), rule, edits)
}

struct Planner<'a> {
    paths: &'a [PathBuf],
    settings: &'a CheckSettings,
    options: FixOptions,
    overlay: Overlay,
    /// Unsaved texts the run started from (an editor's buffers): they stand
    /// in for the disk.
    base: Overlay,
    plan: FixPlan,
    declined: HashSet<Key>,
    dropped: HashSet<Key>,
    /// Fixes whose imported package cannot be installed, with the reason.
    withheld: std::collections::HashMap<Key, String>,
    /// Files changed in the current pass: their analysis is stale until the next.
    touched: HashSet<PathBuf>,
}

/// Another file's part of a remediation, checked and ready to stage.
struct OtherChange {
    source: SourceFile,
    new_text: String,
}

/// Plans the fixes of every file under `paths`, asking `decide` about each
/// remediation (return [`Decision::Apply`] to take them all).
pub fn plan(
    paths: &[PathBuf],
    settings: &CheckSettings,
    options: FixOptions,
    decide: &mut dyn FnMut(&Remediation) -> Decision,
) -> Result<FixPlan, PlanError> {
    plan_with_overlay(paths, settings, options, Overlay::new(), decide)
}

/// Like [`plan`], starting from `base`: texts that stand in for the files on
/// disk (the unsaved buffers of an editor). [`FileChange::original`] is then
/// the base text.
pub fn plan_with_overlay(
    paths: &[PathBuf],
    settings: &CheckSettings,
    options: FixOptions,
    base: Overlay,
    decide: &mut dyn FnMut(&Remediation) -> Decision,
) -> Result<FixPlan, PlanError> {
    let mut planner = Planner {
        paths,
        settings,
        options,
        overlay: base.clone(),
        base,
        plan: FixPlan::default(),
        declined: HashSet::new(),
        dropped: HashSet::new(),
        withheld: std::collections::HashMap::new(),
        touched: HashSet::new(),
    };
    // Each pass re-analyses only the files the previous one changed.
    let mut session = Session::new(paths, settings)?;
    let mut converged = false;
    let mut report = Report::default();
    for _ in 0..MAX_PASSES {
        report = session.check(&planner.overlay)?;
        planner.touched.clear();
        let mut changed = false;
        for file in &report.files {
            changed |= planner.fix_file(file, decide);
            if planner.plan.quit {
                break;
            }
        }
        if !changed || planner.plan.quit {
            converged = true;
            if changed {
                // Stopped after accepting some: what is left is what the
                // accepted changes leave.
                report = session.check(&planner.overlay)?;
            }
            break;
        }
    }
    if !converged {
        planner.plan.problems.push(format!(
            "internal error: the fixes did not converge after {MAX_PASSES} passes; the changes found so far are kept (please report this)"
        ));
        report = session.check(&planner.overlay)?;
    }
    if !planner.plan.quit {
        planner.follow_ups(&report, decide);
    }
    planner.leftovers(&report);
    let mut plan = planner.plan;
    plan.last_report = report;
    Ok(plan)
}

impl Planner<'_> {
    fn allowed(&self, fix: &Fix) -> bool {
        fix.applicability == Applicability::Safe || self.options.unsafe_fixes
    }

    /// One pass over one file; whether its text changed.
    fn fix_file(
        &mut self,
        file: &FileReport,
        decide: &mut dyn FnMut(&Remediation) -> Decision,
    ) -> bool {
        let path = file.source.path().to_path_buf();
        if self.touched.contains(&path) {
            // Changed by another file's remediation in this pass: next pass.
            return false;
        }
        let text = file.source.text();
        let display = path_for_diff(&path);
        let mut candidates: Vec<(&Diagnostic, &Fix)> = file
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref().map(|f| (d, f)))
            .filter(|(_, f)| !f.edits.is_empty() && self.allowed(f))
            .collect();
        candidates.sort_by_key(|(d, f)| (f.edits[0].range.start(), d.range.start()));
        let mut taken = EditSet::default();
        let mut accepted = Vec::new();
        let mut others: Vec<OtherChange> = Vec::new();
        for (diagnostic, fix) in candidates {
            let id = key(file, diagnostic.rule, fix);
            if self.declined.contains(&id)
                || self.dropped.contains(&id)
                || self.withheld.contains_key(&id)
                || !taken.can_take(fix)
            {
                continue;
            }
            if let Some(why) = fix.dependencies.iter().find_map(|d| {
                project::dependency_blocker(self.paths, &path, *d, &|p| self.current_text(p))
            }) {
                self.withheld.insert(id, why);
                continue;
            }
            if fix.other_files.iter().any(|o| {
                o.path == path
                    || self.touched.contains(&o.path)
                    || others.iter().any(|c| c.source.path() == o.path)
            }) {
                // Another file of this remediation already changes in this pass.
                continue;
            }
            let mut other_changes = Vec::new();
            let mut other_diffs = String::new();
            let mut failure = None;
            for other in &fix.other_files {
                match self.other_change(other) {
                    Ok((change, diff)) => {
                        other_diffs.push_str(&diff);
                        other_changes.push(change);
                    }
                    Err(why) => {
                        failure = Some(why);
                        break;
                    }
                }
            }
            if let Some(why) = failure {
                self.drop_fix(id, &path, diagnostic, file, why);
                continue;
            }
            let Some(alone) = fix.apply(text) else {
                self.drop_fix(
                    id,
                    &path,
                    diagnostic,
                    file,
                    "its edits fall outside the file",
                );
                continue;
            };
            if is_python(&path) && !parse_python(&alone).is_valid() {
                self.drop_fix(
                    id,
                    &path,
                    diagnostic,
                    file,
                    "it would produce code that does not parse",
                );
                continue;
            }
            let Some(diff) = fix_diff(&display, text, fix, &file.secrets) else {
                self.drop_fix(
                    id,
                    &path,
                    diagnostic,
                    file,
                    "its diff would reveal a secret",
                );
                continue;
            };
            let remediation = Remediation {
                rule: diagnostic.rule,
                severity: diagnostic.severity,
                applicability: fix.applicability,
                path: path.clone(),
                line: file.source.line_col(diagnostic.range.start()).line,
                what: fix.message.clone(),
                why: diagnostic.message.clone(),
                diff: diff + &other_diffs,
                env_vars: {
                    let mut names = fix.env_vars.clone();
                    names.sort();
                    names
                },
                dependencies: fix.dependencies.clone(),
            };
            match decide(&remediation) {
                Decision::Apply => {
                    taken.take(fix);
                    accepted.push((id, remediation));
                    others.extend(other_changes);
                }
                Decision::Skip => {
                    self.declined.insert(id);
                }
                Decision::Quit => {
                    self.plan.quit = true;
                    break;
                }
            }
        }
        if taken.is_empty() {
            return false;
        }
        let new_text = taken
            .apply(text)
            .filter(|t| !is_python(&path) || parse_python(t).is_valid());
        let Some(new_text) = new_text else {
            // Each fix parsed alone but not together: drop them all, the file
            // keeps this pass's text.
            self.plan.problems.push(format!(
                "internal error: {}: fixes that parse one by one do not parse together; they were dropped and the file left as it was (please report this)",
                path.display()
            ));
            self.dropped.extend(accepted.into_iter().map(|(id, _)| id));
            return false;
        };
        if !self.stage(&path, &file.source, &new_text) {
            self.dropped.extend(accepted.into_iter().map(|(id, _)| id));
            return false;
        }
        self.touched.insert(path);
        for other in others {
            // Checked above against the text this pass analysed; staged whole.
            if self.stage(other.source.path(), &other.source, &other.new_text) {
                self.touched.insert(other.source.path().to_path_buf());
            }
        }
        self.plan
            .remediations
            .extend(accepted.into_iter().map(|(_, r)| r));
        true
    }

    /// Applies a remediation's edits of another file to that file's current
    /// text: the new text (which must still parse) and the diff, or why not.
    fn other_change(&self, other: &FileEdits) -> Result<(OtherChange, String), &'static str> {
        let bytes = match self.plan.changes.get(&other.path) {
            Some(change) => change.new.clone(),
            None => {
                std::fs::read(&other.path).map_err(|_| "another file it changes cannot be read")?
            }
        };
        let source = SourceFile::from_bytes(&other.path, bytes)
            .map_err(|_| "another file it changes cannot be decoded")?;
        let edits = Fix::safe(String::new(), other.edits.clone());
        let new_text = edits
            .apply(source.text())
            .ok_or("its edits fall outside another file it changes")?;
        if is_python(&other.path) && !parse_python(&new_text).is_valid() {
            return Err("it would make another file unparsable");
        }
        let diff = fix_diff(
            &path_for_diff(&other.path),
            source.text(),
            &edits,
            &other.secrets,
        )
        .ok_or("its diff would reveal a secret")?;
        Ok((OtherChange { source, new_text }, diff))
    }

    fn drop_fix(
        &mut self,
        id: Key,
        path: &Path,
        diagnostic: &Diagnostic,
        file: &FileReport,
        why: &str,
    ) {
        let line = file.source.line_col(diagnostic.range.start()).line;
        self.plan.problems.push(format!(
            "internal error: {}:{line}: the {} fix was dropped because {why}; the file is left as it was for this finding (please report this)",
            path.display(),
            diagnostic.rule.code(),
        ));
        self.dropped.insert(id);
    }

    /// Records the new text of a file in the overlay; whether it changed.
    fn stage(&mut self, path: &Path, source: &SourceFile, new_text: &str) -> bool {
        if !self.plan.changes.contains_key(path) {
            match self.base_bytes(path) {
                Ok(bytes)
                    if SourceFile::from_bytes(path, bytes.clone())
                        .is_ok_and(|s| s.text() == source.text()) =>
                {
                    self.plan.changes.insert(
                        path.to_path_buf(),
                        FileChange {
                            original: Some(bytes.clone()),
                            new: bytes,
                        },
                    );
                }
                _ => {
                    self.plan.problems.push(format!(
                        "{}: changed on disk while it was analysed; not fixed (run `fix` again)",
                        path.display()
                    ));
                    return false;
                }
            }
        }
        let bytes = match encode(new_text, source.encoding()) {
            Ok(bytes) => bytes,
            Err(err) => {
                self.plan
                    .problems
                    .push(format!("{}: {err}; not fixed", path.display()));
                return false;
            }
        };
        let change = self.plan.changes.get_mut(path).expect("inserted above");
        if change.new == bytes {
            return false;
        }
        change.new = bytes.clone();
        self.overlay.insert(path.to_path_buf(), bytes);
        true
    }

    /// The current text of a file: staged, else on disk (`None`: missing).
    fn current_text(&self, path: &Path) -> Option<String> {
        match self.plan.changes.get(path) {
            Some(change) => String::from_utf8(change.new.clone()).ok(),
            None => self
                .base_bytes(path)
                .ok()
                .and_then(|b| String::from_utf8(b).ok()),
        }
    }

    /// A file's bytes before this run: the base text, else the disk's.
    fn base_bytes(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        match self.base.get(path) {
            Some(bytes) => Ok(bytes.clone()),
            None => std::fs::read(path),
        }
    }

    /// Changes in other files that accepted remediations call for, computed
    /// again after each one so that two changes of one file compose.
    fn follow_ups(&mut self, report: &Report, decide: &mut dyn FnMut(&Remediation) -> Decision) {
        let mut seen: HashSet<(PathBuf, String)> = HashSet::new();
        for _ in 0..32 {
            let (candidates, notes) =
                project::follow_ups(self.paths, &self.plan.remediations, report, &|p| {
                    self.current_text(p)
                });
            for note in notes {
                if !self.plan.notes.contains(&note) {
                    self.plan.notes.push(note);
                }
            }
            let next = candidates.into_iter().find(|f| {
                self.allowed_rule(f)
                    && !seen.contains(&(f.path.clone(), f.what.clone()))
                    && self.current_text(&f.path).as_deref() != Some(f.new_text.as_str())
            });
            let Some(FollowUp {
                rule,
                path,
                new_text,
                what,
                why,
            }) = next
            else {
                return;
            };
            seen.insert((path.clone(), what.clone()));
            let old_text = self.current_text(&path);
            let diff = super::diff::unified(
                &path_for_diff(&path),
                old_text.as_deref().unwrap_or(""),
                &new_text,
            );
            let remediation = Remediation {
                rule,
                severity: rule.severity(),
                applicability: Applicability::Safe,
                path: path.clone(),
                line: 0,
                what,
                why,
                diff,
                env_vars: Vec::new(),
                dependencies: Vec::new(),
            };
            match decide(&remediation) {
                Decision::Apply => {}
                Decision::Skip => continue,
                Decision::Quit => {
                    self.plan.quit = true;
                    return;
                }
            }
            self.plan.remediations.push(remediation);
            match self.plan.changes.get_mut(&path) {
                Some(change) => change.new = new_text.into_bytes(),
                None => {
                    let original = std::fs::read(&path).ok();
                    self.plan.changes.insert(
                        path,
                        FileChange {
                            original,
                            new: new_text.into_bytes(),
                        },
                    );
                }
            }
        }
    }

    fn allowed_rule(&self, follow_up: &FollowUp) -> bool {
        follow_up.rule == Rule::MissingHardeningDependency
            || self.settings.rules.contains(follow_up.rule)
    }

    fn leftovers(&mut self, report: &Report) {
        for (file, diagnostic) in report.diagnostics() {
            let mut withheld_because = None;
            let reason = match &diagnostic.fix {
                None => LeftoverReason::ReportOnly,
                Some(fix) if fix.edits.is_empty() => {
                    if project::handles(diagnostic)
                        && self.plan.changes.keys().any(|p| p == file.source.path())
                    {
                        continue;
                    }
                    LeftoverReason::ReportOnly
                }
                Some(fix) if !self.allowed(fix) => LeftoverReason::Unsafe,
                Some(fix) => {
                    let id = key(file, diagnostic.rule, fix);
                    if self.dropped.contains(&id) {
                        LeftoverReason::Dropped
                    } else if let Some(why) = self.withheld.get(&id) {
                        withheld_because = Some(why.clone());
                        LeftoverReason::Withheld
                    } else {
                        LeftoverReason::Declined
                    }
                }
            };
            let mut message = diagnostic.message.clone();
            if let Some(why) = withheld_because {
                message.push_str(&format!("; the fix was withheld: {why}"));
            }
            self.plan.leftovers.push(Leftover {
                rule: diagnostic.rule,
                path: file.source.path().to_path_buf(),
                line: file.source.line_col(diagnostic.range.start()).line,
                message,
                reason,
            });
        }
    }
}

fn is_python(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "py" || e == "pyw")
}

/// A path as diffs name it: `/`-separated, without a leading `./`.
fn path_for_diff(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    crate::output::display_path(path, &cwd)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Edit, TextRange, TextSize};

    fn planner<'a>(paths: &'a [PathBuf], settings: &'a CheckSettings) -> Planner<'a> {
        Planner {
            paths,
            settings,
            options: FixOptions::default(),
            overlay: Overlay::new(),
            base: Overlay::new(),
            plan: FixPlan::default(),
            declined: HashSet::new(),
            dropped: HashSet::new(),
            withheld: std::collections::HashMap::new(),
            touched: HashSet::new(),
        }
    }

    fn report(dir: &Path, text: &str, fixes: Vec<Fix>) -> FileReport {
        let path = dir.join("app.py");
        std::fs::write(&path, text).unwrap();
        let diagnostics = fixes
            .into_iter()
            .map(|fix| {
                Diagnostic::new(
                    Rule::DebugModeEnabled,
                    TextRange::at(TextSize::from(8), TextSize::from(4)),
                    "debug",
                )
                .with_fix(fix)
            })
            .collect();
        FileReport {
            source: SourceFile::from_text(&path, text.to_owned()),
            diagnostics,
            secrets: Vec::new(),
        }
    }

    #[test]
    fn a_fix_that_breaks_the_syntax_is_dropped_and_reported() {
        let (paths, settings) = (Vec::new(), CheckSettings::default());
        let mut planner = planner(&paths, &settings);
        let text = "DEBUG = True\n";
        let broken = Fix::safe(
            "x",
            vec![Edit::replacement("(", TextRange::at(8.into(), 4.into()))],
        );
        let dir = tempfile::tempdir().unwrap();
        let file = report(dir.path(), text, vec![broken]);
        let mut asked = 0;
        let changed = planner.fix_file(&file, &mut |_| {
            asked += 1;
            Decision::Apply
        });
        assert!(!changed);
        assert_eq!(asked, 0, "a broken fix is never proposed");
        assert!(planner.plan.changes.is_empty(), "file untouched");
        assert!(
            planner.plan.problems[0].contains("internal error")
                && planner.plan.problems[0].contains("does not parse"),
            "{:?}",
            planner.plan.problems
        );
        assert_eq!(planner.dropped.len(), 1);
    }

    #[test]
    fn overlapping_fixes_wait_and_declined_ones_are_not_asked_again() {
        let (paths, settings) = (Vec::new(), CheckSettings::default());
        let mut planner = planner(&paths, &settings);
        let text = "DEBUG = True\n";
        let value = TextRange::at(8.into(), 4.into());
        let first = Fix::safe("a", vec![Edit::replacement("False", value)]);
        let second = Fix::safe("b", vec![Edit::replacement("0", value)]);
        let dir = tempfile::tempdir().unwrap();
        let file = report(dir.path(), text, vec![first, second]);
        let mut seen = Vec::new();
        let changed = planner.fix_file(&file, &mut |r| {
            seen.push(r.what.clone());
            Decision::Apply
        });
        assert!(changed);
        assert_eq!(seen, ["a"], "the overlapping fix waits for the next pass");

        let mut planner = super::tests::planner(&paths, &settings);
        let mut seen = Vec::new();
        planner.fix_file(&file, &mut |r| {
            seen.push(r.what.clone());
            Decision::Skip
        });
        assert_eq!(seen, ["a", "b"], "nothing taken, so nothing overlaps");
        planner.fix_file(&file, &mut |r| {
            seen.push(r.what.clone());
            Decision::Apply
        });
        assert_eq!(seen.len(), 2, "declined fixes are not proposed again");
    }
}
