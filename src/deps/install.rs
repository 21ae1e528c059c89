//! Which dependency files a project's installs actually read, so FH602 edits
//! those: the `pip install -r FILE` (and `--requirement`) of its Dockerfiles,
//! tox.ini, CI workflows and Makefile, `pip install .` / `-e .` (the
//! pyproject's dependencies), and the `-r` chains inside requirements files.
//! Also the check that an added requirement stays installable next to the
//! file's own pins (the requirements of the releases added are embedded).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifiers};

use super::requirement::{Op, normalize_name};
use super::requirements_txt::{self, EntryKind};

/// What the releases FH602 adds require (their published metadata, checked
/// 2026-12-03): flask-talisman 1.1.0, Flask-Limiter 4.1.1 (with limits 5.8.0),
/// pydantic 2.14.4.
const ADDED_REQUIRES: &[(&str, &[(&str, &str)])] = &[
    ("flask-talisman", &[]),
    (
        "flask-limiter",
        &[
            ("flask", ">=2"),
            ("limits", ">=3.13"),
            ("ordered-set", ">4,<5"),
            ("typing-extensions", ">=4.3"),
            ("deprecated", ">=1.2"),
            ("packaging", ">=21"),
        ],
    ),
    (
        "pydantic",
        &[
            ("annotated-types", ">=0.6.0"),
            ("pydantic-core", "==2.50.5"),
            ("typing-extensions", ">=4.16.0"),
            ("typing-inspection", ">=0.4.4"),
        ],
    ),
];

/// Files that say how the project is installed, relative to its folder.
const INSTALLERS: &[&str] = &[
    "tox.ini",
    "Makefile",
    ".gitlab-ci.yml",
    ".circleci/config.yml",
    "noxfile.py",
    "Procfile",
];

/// The dependency files the project's installs read, production first
/// (Dockerfiles, `pip install .`), then test and CI installs; empty when
/// nothing names one.
pub fn install_files(root: &Path, read: &dyn Fn(&Path) -> Option<String>) -> Vec<PathBuf> {
    static INCLUDE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(?:^|\s)(?:-r|--requirement)(?:\s+|=)?["']?([^\s"';&|)]+)"#)
            .expect("valid regex")
    });
    static PROJECT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"pip3?\s+install\s+(?:[^\n]*\s)?(?:-e\s+)?\.(?:\[[^\]]*\])?(?:\s|$)"#)
            .expect("valid regex")
    });
    let mut installers: Vec<PathBuf> = Vec::new();
    // Dockerfiles first: they describe the production install.
    if let Ok(entries) = std::fs::read_dir(root) {
        let mut docker: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    n.to_ascii_lowercase().starts_with("dockerfile") || n.ends_with(".dockerfile")
                })
            })
            .collect();
        docker.sort();
        installers.extend(docker);
    }
    installers.extend(INSTALLERS.iter().map(|n| root.join(n)));
    for folder in [".github/workflows"] {
        if let Ok(entries) = std::fs::read_dir(root.join(folder)) {
            let mut workflows: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
            workflows.sort();
            installers.extend(workflows);
        }
    }
    let mut found: Vec<PathBuf> = Vec::new();
    let push = |path: PathBuf, found: &mut Vec<PathBuf>| {
        if !found.contains(&path) {
            found.push(path);
        }
    };
    for installer in installers {
        let Some(text) = read(&installer) else {
            continue;
        };
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("");
            let is_tox = installer.ends_with("tox.ini");
            if !(line.contains("pip") || line.contains("uv ") || is_tox) {
                continue;
            }
            for capture in INCLUDE.captures_iter(line) {
                let named = capture[1]
                    .replace("{toxinidir}/", "")
                    .trim_start_matches("./")
                    .to_owned();
                if let Some(path) = locate(root, &named, read) {
                    push(path, &mut found);
                }
            }
            if PROJECT.is_match(line) {
                let pyproject = root.join("pyproject.toml");
                if read(&pyproject).is_some_and(|t| t.contains("dependencies")) {
                    push(pyproject, &mut found);
                }
            }
        }
    }
    // Heroku-style platforms install the root requirements.txt when a
    // Procfile says how to start the app.
    let root_requirements = root.join("requirements.txt");
    if read(&root.join("Procfile")).is_some() && read(&root_requirements).is_some() {
        push(root_requirements, &mut found);
    }
    found
}

/// `named` (a path an installer gives, maybe inside a container) as a file
/// of the project: the path itself under `root`, else the one file of that
/// name in the project's top two levels.
fn locate(root: &Path, named: &str, read: &dyn Fn(&Path) -> Option<String>) -> Option<PathBuf> {
    if named.contains('$') || named.contains("..") {
        return None;
    }
    let direct = root.join(named.trim_start_matches('/'));
    if read(&direct).is_some() {
        return Some(direct);
    }
    let name = Path::new(named).file_name()?;
    let mut matches = Vec::new();
    for dir in std::iter::once(root.to_path_buf()).chain(
        std::fs::read_dir(root)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir()),
    ) {
        let candidate = dir.join(name);
        if read(&candidate).is_some() {
            matches.push(candidate);
        }
    }
    (matches.len() == 1).then(|| matches.remove(0))
}

/// `file` and every requirements file it includes (`-r`, `-c`), recursively.
pub fn closure(file: &Path, read: &dyn Fn(&Path) -> Option<String>) -> Vec<PathBuf> {
    let mut out = vec![file.to_path_buf()];
    let mut index = 0;
    while index < out.len() && out.len() < 50 {
        let current = out[index].clone();
        index += 1;
        if current.extension().is_some_and(|e| e == "toml") {
            continue;
        }
        let Some(text) = read(&current) else { continue };
        let dir = current.parent().map(Path::to_path_buf).unwrap_or_default();
        for entry in requirements_txt::parse(&text).entries {
            if let EntryKind::Include { path, .. } = entry.kind {
                let included = dir.join(path);
                if !out.contains(&included) {
                    out.push(included);
                }
            }
        }
    }
    out
}

/// Why `requirement` (one of the hardening packages) cannot be installed next
/// to the pins of `files`, if it cannot: "its pin `typing_extensions==4.8.0`
/// is below what pydantic 2.14.4 needs (typing-extensions>=4.16.0)".
pub fn conflict(
    requirement: &str,
    files: &[PathBuf],
    read: &dyn Fn(&Path) -> Option<String>,
) -> Option<String> {
    let name = normalize_name(requirement.split(['>', '=', '<', '~', '!']).next()?.trim());
    let (_, needs) = ADDED_REQUIRES
        .iter()
        .find(|(n, _)| normalize_name(n) == name)?;
    let release = requirement
        .split(">=")
        .nth(1)
        .unwrap_or("")
        .trim()
        .to_owned();
    let mut seen = BTreeSet::new();
    for file in files {
        if file.extension().is_some_and(|e| e == "toml") {
            continue;
        }
        let Some(text) = read(file) else { continue };
        for (_, pinned) in requirements_txt::parse(&text).requirements() {
            let Some((dependency, spec)) = needs
                .iter()
                .find(|(n, _)| normalize_name(n) == pinned.normalized)
            else {
                continue;
            };
            let Ok(specifiers) = VersionSpecifiers::from_str(spec) else {
                continue;
            };
            let minimum = spec
                .split(',')
                .find_map(|s| {
                    let s = s.trim();
                    s.strip_prefix(">=")
                        .or_else(|| s.strip_prefix("=="))
                        .or_else(|| s.strip_prefix('>'))
                })
                .and_then(|v| Version::from_str(v.trim()).ok());
            for clause in &pinned.clauses {
                let Some(version) = clause.parsed_version() else {
                    continue;
                };
                let blocks = match clause.op {
                    Op::Equal | Op::ArbitraryEqual | Op::Bare => !specifiers.contains(&version),
                    Op::Less | Op::LessEqual | Op::Compatible | Op::Caret | Op::Tilde => minimum
                        .as_ref()
                        .is_some_and(|min| !super::clause_allows(clause, min)),
                    _ => false,
                };
                let written = format!("{}{}{}", pinned.name, clause.op.as_str(), clause.version);
                if blocks && seen.insert(written.clone()) {
                    return Some(format!(
                        "{} pins `{written}`, which {name} {release} cannot be installed with (it needs {dependency}{spec}); raise that pin first",
                        file.file_name()
                            .map(|n| n.to_string_lossy())
                            .unwrap_or_default(),
                    ));
                }
            }
        }
    }
    None
}

/// A requirements file that production installs read (`requirements.txt`,
/// `requirements/base.txt`, `prod.txt`, ...), not a test or development one.
pub fn is_production_file(path: &Path) -> bool {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let in_folder = path
        .parent()
        .and_then(|p| p.file_name())
        .is_some_and(|n| n == "requirements");
    stem == "requirements"
        || (in_folder
            && [
                "base",
                "common",
                "main",
                "prod",
                "production",
                "requirements",
            ]
            .contains(&stem.as_str()))
}

/// Whether one of `files` already lists package `name`.
pub fn lists(name: &str, files: &[PathBuf], read: &dyn Fn(&Path) -> Option<String>) -> bool {
    let wanted = normalize_name(name);
    files.iter().any(|file| {
        read(file).is_some_and(|text| {
            if file.extension().is_some_and(|e| e == "toml") {
                text.to_ascii_lowercase()
                    .replace(['_', '.'], "-")
                    .contains(&format!("\"{wanted}"))
            } else {
                requirements_txt::parse(&text)
                    .requirements()
                    .any(|(_, r)| r.normalized == wanted)
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn reader(files: &[(&str, &str)]) -> impl Fn(&Path) -> Option<String> + use<> {
        let map: BTreeMap<PathBuf, String> = files
            .iter()
            .map(|(p, t)| (Path::new("/p").join(p), (*t).to_owned()))
            .collect();
        move |path: &Path| map.get(path).cloned()
    }

    #[test]
    fn installers_name_the_files_they_install() {
        let read = reader(&[
            ("requirements.txt", "flask\n"),
            ("requirements-dev.txt", "-r requirements.txt\npytest\n"),
            ("requirements/prod.txt", "flask\ngunicorn\n"),
            (
                "tox.ini",
                "[testenv]\ndeps = -r{toxinidir}/requirements-dev.txt\n",
            ),
            (
                ".github/workflows/ci.yml",
                "steps:\n  - run: pip install -r requirements-dev.txt\n",
            ),
        ]);
        // Dockerfiles are found on disk; without one, tox and CI count.
        let files = install_files(Path::new("/p"), &read);
        assert_eq!(files, vec![PathBuf::from("/p/requirements-dev.txt")]);
        assert_eq!(
            closure(Path::new("/p/requirements-dev.txt"), &read),
            vec![
                PathBuf::from("/p/requirements-dev.txt"),
                PathBuf::from("/p/requirements.txt")
            ]
        );
    }

    #[test]
    fn a_pin_that_blocks_the_added_release_is_named() {
        let read = reader(&[(
            "requirements.txt",
            "typing_extensions==4.8.0\nflask==3.1.3\n",
        )]);
        let files = vec![PathBuf::from("/p/requirements.txt")];
        let why = conflict("pydantic>=2.14.4", &files, &read).unwrap();
        assert!(why.contains("typing_extensions==4.8.0"), "{why}");
        assert!(why.contains("typing-extensions>=4.16.0"), "{why}");
        assert!(conflict("flask-talisman>=1.1.0", &files, &read).is_none());
        let read = reader(&[("requirements.txt", "Flask==1.1.4\n")]);
        assert!(conflict("Flask-Limiter>=4.1.1", &files, &read).is_some());
        let read = reader(&[("requirements.txt", "typing-extensions>=4.20\n")]);
        assert!(conflict("pydantic>=2.14.4", &files, &read).is_none());
    }
}
