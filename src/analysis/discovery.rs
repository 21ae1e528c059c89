//! Which files `check` reads: walks the given paths with the `ignore` crate
//! (`.gitignore` honoured even outside a git repository), skips virtualenvs,
//! `site-packages`, `node_modules`, `__pycache__`, build folders and hidden
//! folders, and keeps Python files, `.flaskenv`, `requirements*.txt` and
//! `pyproject.toml`. Explicit file arguments are always kept.

use std::path::{Path, PathBuf};

use super::rules::TextFileKind;
use super::settings::PathPatterns;

/// What kind of input a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Python source.
    Python,
    /// A non-Python input some rules read.
    Text(TextFileKind),
}

/// A file to analyse.
#[derive(Debug, Clone)]
pub struct DiscoveredFile {
    /// The path (as reached from the argument).
    pub path: PathBuf,
    /// The path relative to the walked root, `/`-separated (for globs and test paths).
    pub relative: String,
    /// Its kind.
    pub kind: FileKind,
}

/// A path argument that does not exist, or a walk error.
#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    /// The argument does not exist.
    #[error("{0}: no such file or directory")]
    Missing(PathBuf),
}

const SKIPPED_DIRS: &[&str] = &[
    "site-packages",
    "node_modules",
    "__pycache__",
    "build",
    "dist",
    "_build",
    "buck-out",
    "venv",
    "virtualenv",
    "__pypackages__",
    "htmlcov",
];

/// Classifies a file name; `None` for files no rule reads.
pub fn classify(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    if name.ends_with(".py") {
        return Some(FileKind::Python);
    }
    if name == ".flaskenv" {
        return Some(FileKind::Text(TextFileKind::Flaskenv));
    }
    if name == "pyproject.toml" {
        return Some(FileKind::Text(TextFileKind::Pyproject));
    }
    let in_requirements_dir = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|d| d == "requirements");
    if name.ends_with(".txt") && (name.starts_with("requirements") || in_requirements_dir) {
        return Some(FileKind::Text(TextFileKind::Requirements));
    }
    None
}

fn is_skipped_dir(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    (name.starts_with('.') && name.len() > 1 && name != "..")
        || SKIPPED_DIRS.contains(&name)
        || name.ends_with(".egg-info")
        || path.join("pyvenv.cfg").is_file()
}

fn relative_string(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let joined: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    joined.join("/")
}

/// Lists the files to analyse under `paths`, sorted, without duplicates.
pub fn discover(
    paths: &[PathBuf],
    exclude: &PathPatterns,
) -> Result<Vec<DiscoveredFile>, DiscoveryError> {
    let mut out = Vec::new();
    for root in paths {
        if !root.exists() {
            return Err(DiscoveryError::Missing(root.clone()));
        }
        if root.is_file() {
            let kind = classify(root).unwrap_or(FileKind::Python);
            let relative = root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push(DiscoveredFile {
                path: root.clone(),
                relative,
                kind,
            });
            continue;
        }
        let walk_root = root.clone();
        let exclude = exclude.clone();
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .require_git(false)
            .parents(true)
            .filter_entry(move |entry| {
                if entry.depth() == 0 {
                    return true;
                }
                let path = entry.path();
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                if is_dir && is_skipped_dir(path) {
                    return false;
                }
                !exclude.matches(&relative_string(path, &walk_root))
            })
            .build();
        for entry in walker.flatten() {
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let path = entry.into_path();
            let Some(kind) = classify(&path) else {
                continue;
            };
            let relative = relative_string(&path, root);
            out.push(DiscoveredFile {
                path,
                relative,
                kind,
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup_by(|a, b| a.path == b.path);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_inputs() {
        assert_eq!(classify(Path::new("a/app.py")), Some(FileKind::Python));
        assert_eq!(
            classify(Path::new(".flaskenv")),
            Some(FileKind::Text(TextFileKind::Flaskenv))
        );
        assert_eq!(
            classify(Path::new("requirements-dev.txt")),
            Some(FileKind::Text(TextFileKind::Requirements))
        );
        assert_eq!(
            classify(Path::new("requirements/base.txt")),
            Some(FileKind::Text(TextFileKind::Requirements))
        );
        assert_eq!(classify(Path::new("notes.txt")), None);
    }
}
