//! Follow-up changes outside the fixed Python file that a remediation calls
//! for: the names of new required environment variables in `.env.example`
//! (created when missing) with `.env` git-ignored (FH102), the hardening
//! packages in the project's dependency file (FH602, through
//! [`crate::deps`]), and flask-debugtoolbar moved to the development
//! requirements (FH107). Only files in a folder given to `fix` are touched.

use crate::analysis::engine::Report;
use crate::analysis::{Dependency, Diagnostic, Rule};
use crate::deps;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::plan::Remediation;

/// A whole-file change in another file.
#[derive(Debug, Clone)]
pub struct FollowUp {
    /// The code it is reported under.
    pub rule: Rule,
    /// The file (created when missing).
    pub path: PathBuf,
    /// Its complete new text.
    pub new_text: String,
    /// What changes.
    pub what: String,
    /// Why.
    pub why: String,
}

/// Whether a finding's fix is carried out here rather than by its edits
/// (FH107 in a requirements file: the toolbar moves to the development file).
pub fn handles(diagnostic: &Diagnostic) -> bool {
    diagnostic
        .fix
        .as_ref()
        .is_some_and(|f| f.moves_to_development == Some(deps::DEBUG_TOOLBAR))
}

/// The folder argument a path belongs to (follow-ups are written there).
fn project_root<'a>(paths: &'a [PathBuf], path: &Path) -> Option<&'a Path> {
    paths
        .iter()
        .filter(|root| root.is_dir() && path.starts_with(root))
        .max_by_key(|root| root.components().count())
        .map(PathBuf::as_path)
}

/// The line ending of `text` (CRLF when its first line ends so).
fn eol(text: &str) -> &'static str {
    crate::analysis::autofix::line_ending(text)
}

/// `text` with `lines` appended, each on its own line, keeping its line ending.
fn append_lines(text: &str, lines: &[String]) -> String {
    let eol = eol(text);
    let mut out = text.to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol);
    }
    for line in lines {
        out.push_str(line);
        out.push_str(eol);
    }
    out
}

/// The follow-up changes for the accepted `remediations` (and for FH107
/// findings in requirements files of the last `report`). `current` gives a
/// file's text as planned so far (`None`: it does not exist).
/// Also returns notes for a person (a dependency with no file to add it to).
pub fn follow_ups(
    paths: &[PathBuf],
    remediations: &[Remediation],
    report: &Report,
    current: &dyn Fn(&Path) -> Option<String>,
) -> (Vec<FollowUp>, Vec<String>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let mut roots: Vec<&Path> = remediations
        .iter()
        .filter_map(|r| project_root(paths, &r.path))
        .collect();
    roots.sort();
    roots.dedup();
    for root in roots {
        let here: Vec<&Remediation> = remediations
            .iter()
            .filter(|r| project_root(paths, &r.path) == Some(root))
            .collect();
        secrets_follow_ups(root, &here, current, &mut out);
        dependency_follow_ups(root, &here, current, &mut out, &mut notes);
    }
    // A file given on its own: nothing outside the given paths is written, so
    // the follow-ups its folder would get become notes for a person.
    let folder_of = |r: &Remediation| -> Option<PathBuf> {
        if project_root(paths, &r.path).is_some() {
            return None;
        }
        let parent = r.path.parent()?;
        Some(if parent.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            parent.to_path_buf()
        })
    };
    let mut folders: Vec<PathBuf> = remediations.iter().filter_map(folder_of).collect();
    folders.sort();
    folders.dedup();
    for folder in folders {
        let here: Vec<&Remediation> = remediations
            .iter()
            .filter(|r| folder_of(r).as_deref() == Some(folder.as_path()))
            .collect();
        let mut pending = Vec::new();
        secrets_follow_ups(&folder, &here, current, &mut pending);
        dependency_follow_ups(&folder, &here, current, &mut pending, &mut notes);
        for follow_up in pending {
            notes.push(format!(
                "{}: {} lies outside the paths given to `fix`, so it was not written",
                follow_up.what,
                follow_up
                    .path
                    .strip_prefix(".")
                    .unwrap_or(&follow_up.path)
                    .display()
            ));
        }
    }
    for (file, diagnostic) in report.diagnostics() {
        if !handles(diagnostic) || project_root(paths, file.source.path()).is_none() {
            continue;
        }
        let path = file.source.path();
        let Some(text) = current(path) else { continue };
        let dev_path = deps::requirements_txt::development_file_for(path);
        let dev_text = current(&dev_path);
        // The development file first: once the production file has lost the
        // toolbar, the move can no longer be computed.
        let mut changes = deps::move_debug_toolbar_to_development(path, &text, dev_text.as_deref());
        changes.reverse();
        for change in changes {
            let what = if change.path == path {
                "Remove flask-debugtoolbar from the production requirements".to_owned()
            } else if change.created {
                "Create the development requirements with flask-debugtoolbar".to_owned()
            } else {
                "Add flask-debugtoolbar to the development requirements".to_owned()
            };
            out.push(FollowUp {
                rule: Rule::DebugToolbarExposed,
                path: change.path,
                new_text: change.new_text,
                what,
                why: diagnostic.message.clone(),
            });
        }
    }
    (out, notes)
}

/// FH102: required variables listed in `.env.example`, `.env` git-ignored.
fn secrets_follow_ups(
    root: &Path,
    remediations: &[&Remediation],
    current: &dyn Fn(&Path) -> Option<String>,
    out: &mut Vec<FollowUp>,
) {
    let mut required = BTreeSet::new();
    for r in remediations
        .iter()
        .filter(|r| r.rule == Rule::HardcodedSecret)
    {
        // The fix reads the secrets from the environment (`os.environ.get("KEY")`).
        required.extend(r.env_vars.iter().cloned());
    }
    if required.is_empty() {
        return;
    }
    let example = root.join(".env.example");
    let text = current(&example).unwrap_or_default();
    let listed: BTreeSet<&str> = text
        .lines()
        .filter_map(|l| {
            l.trim_start()
                .trim_start_matches("export ")
                .split('=')
                .next()
        })
        .map(str::trim)
        .collect();
    let missing: Vec<String> = required
        .iter()
        .filter(|name| !listed.contains(name.as_str()))
        .map(|name| format!("{name}="))
        .collect();
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|m| m.trim_end_matches('=')).collect();
        out.push(FollowUp {
            rule: Rule::HardcodedSecret,
            path: example,
            new_text: append_lines(&text, &missing),
            what: format!("List {} in .env.example (names only, no values)", names.join(", ")),
            why: "Secrets now come from the environment: .env.example tells whoever deploys the app which variables to set".to_owned(),
        });
    }
    let gitignore = root.join(".gitignore");
    let text = current(&gitignore).unwrap_or_default();
    let ignored = text.lines().map(str::trim).any(|l| {
        matches!(
            l,
            ".env" | "/.env" | ".env*" | "/.env*" | "*.env" | ".env/" | "/.env/"
        )
    });
    if !ignored {
        out.push(FollowUp {
            rule: Rule::HardcodedSecret,
            path: gitignore,
            new_text: append_lines(&text, &[".env".to_owned()]),
            what: "Git-ignore .env".to_owned(),
            why: "A local .env holds the real secret values and must never be committed".to_owned(),
        });
    }
}

/// Why `requirement` cannot be added to the dependency files the installs
/// of `path`'s project read (a pin its release cannot be installed with), if
/// so: the remediation whose code imports it is then withheld, or the app
/// would fail at import.
pub fn dependency_blocker(
    paths: &[PathBuf],
    path: &Path,
    dependency: Dependency,
    current: &dyn Fn(&Path) -> Option<String>,
) -> Option<String> {
    let root = project_root(paths, path)?;
    let (chosen, _) = install_targets(root, current)?;
    let name = dependency.package;
    let requirement = &dependency.requirement();
    chosen.iter().find_map(|(edit, files)| {
        if deps::install::lists(name, files, current) {
            return None;
        }
        deps::install::conflict(requirement, files, current).map(|why| {
            format!(
                "its code imports {name}, and {requirement} cannot be added to {}: {why}",
                edit.strip_prefix(root).unwrap_or(edit).display()
            )
        })
    })
}

/// One file to edit per install of the project, with the files that install
/// reads; and whether the installs named them (`None`: no dependency file).
#[allow(clippy::type_complexity)]
fn install_targets(
    root: &Path,
    current: &dyn Fn(&Path) -> Option<String>,
) -> Option<(Vec<(PathBuf, Vec<PathBuf>)>, bool)> {
    // The files the project's installs read (Dockerfile, pyproject, tox, CI
    // workflows, with their `-r` chains); requirements.txt or pyproject.toml
    // when nothing names one.
    let mut targets = deps::install::install_files(root, current);
    let named_by_installs = !targets.is_empty();
    if targets.is_empty() {
        targets.extend(
            ["requirements.txt", "pyproject.toml"]
                .into_iter()
                .map(|name| root.join(name))
                .find(|path| current(path).is_some()),
        );
    }
    if targets.is_empty() {
        return None;
    }
    // One file per install: the production file a test install includes
    // (`-r requirements.txt`) rather than the test file itself.
    let mut chosen: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    for target in targets {
        let files = deps::install::closure(&target, current);
        if files.iter().any(|f| chosen.iter().any(|(c, _)| c == f)) {
            continue;
        }
        let edit = files
            .iter()
            .rev()
            .find(|f| deps::install::is_production_file(f) && current(f).is_some())
            .cloned()
            .unwrap_or(target);
        if !chosen.iter().any(|(c, _)| *c == edit) {
            chosen.push((edit, files));
        }
    }
    Some((chosen, named_by_installs))
}

fn dependency_follow_ups(
    root: &Path,
    remediations: &[&Remediation],
    current: &dyn Fn(&Path) -> Option<String>,
    out: &mut Vec<FollowUp>,
    notes: &mut Vec<String>,
) {
    let mut wanted: Vec<Dependency> = Vec::new();
    for dependency in remediations.iter().flat_map(|r| &r.dependencies) {
        if !wanted.contains(dependency) {
            wanted.push(*dependency);
        }
    }
    if wanted.is_empty() {
        return;
    }
    let Some((chosen, named_by_installs)) = install_targets(root, current) else {
        notes.push(format!(
            "no requirements.txt or pyproject.toml in {}: add {} to the project's dependencies",
            root.display(),
            wanted
                .iter()
                .map(Dependency::requirement)
                .collect::<Vec<_>>()
                .join(", ")
        ));
        return;
    };
    let mut texts: std::collections::BTreeMap<PathBuf, String> = std::collections::BTreeMap::new();
    for dependency in wanted {
        let name = dependency.package;
        let requirement = &dependency.requirement();
        for (path, files) in &chosen {
            if deps::install::lists(name, files, current) {
                continue;
            }
            if let Some(why) = deps::install::conflict(requirement, files, current) {
                notes.push(format!(
                    "{}: {requirement} not added: {why}",
                    path.display()
                ));
                continue;
            }
            let Some(text) = texts.get(path).cloned().or_else(|| current(path)) else {
                continue;
            };
            let Ok(Some(new_text)) = deps::add_dependency(path, &text, requirement) else {
                continue;
            };
            out.push(FollowUp {
                rule: Rule::MissingHardeningDependency,
                path: path.clone(),
                new_text: new_text.clone(),
                what: format!(
                    "Add {requirement} to {}",
                    path.strip_prefix(root).unwrap_or(path).display()
                ),
                why: format!(
                    "The added hardening code imports {name}: the project must depend on it{}",
                    if named_by_installs {
                        " (the project's installs read this file)"
                    } else {
                        ""
                    }
                ),
            });
            texts.insert(path.clone(), new_text);
        }
    }
}
