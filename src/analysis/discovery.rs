//! Which files `check` reads: walks the given paths with the `ignore` crate
//! (`.gitignore` honoured even outside a git repository), skips virtualenvs,
//! `site-packages`, `node_modules`, `__pycache__`, build folders and hidden
//! folders, and keeps Python files, `.flaskenv`, `requirements*.txt` and
//! `pyproject.toml`. Explicit file arguments are always kept. Symbolic links
//! met while walking are never followed: one whose target is inside the walked
//! folder is reached there anyway; one leading outside it (or nowhere) is
//! listed as an [`UnfollowedLink`] so that the user hears about it.

use std::path::{Path, PathBuf};

use super::settings::CheckSettings;

/// The kind of a non-Python input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFileKind {
    /// `.flaskenv`.
    Flaskenv,
    /// `requirements*.txt` and `requirements/*.txt`.
    Requirements,
    /// `pyproject.toml`.
    Pyproject,
}

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
    /// The path relative to the project root (the configuration's folder) when it
    /// is below it, else to the walked argument; `/`-separated. Globs and test
    /// paths match against it.
    pub relative: String,
    /// Index of the path argument the file was found under: files of one
    /// argument form one project for the project-level rules.
    pub root_index: usize,
    /// Its kind.
    pub kind: FileKind,
    /// Whether the file was named on the command line (not found by walking a
    /// folder): a file the user asked for that cannot be analysed is an error.
    pub explicit: bool,
}

/// A symbolic link met while walking a folder whose target is outside that
/// folder, or does not resolve: it is not followed, and `check` says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnfollowedLink {
    /// The link (as reached from the argument).
    pub path: PathBuf,
    /// Where it leads (canonical), `None` when it does not resolve (missing
    /// target, loop).
    pub target: Option<PathBuf>,
}

/// What a walk found.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// The files to analyse, sorted, without duplicates.
    pub files: Vec<DiscoveredFile>,
    /// Links to inputs or folders outside the walked folders, sorted.
    pub unfollowed: Vec<UnfollowedLink>,
}

/// A path argument that does not exist, or a walk error.
#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    /// The argument does not exist.
    #[error("{0}: no such file or directory")]
    Missing(PathBuf),
    /// A FIFO, socket or device named on the command line: reading it could
    /// block forever or never end, so it is refused before anything is read.
    #[error("{0}: not a regular file or folder (a FIFO, socket or device): not read")]
    NotRegular(PathBuf),
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
    // A name that is not UTF-8 is classified by its lossy form: the file is
    // still read (by its real path) and counted, never skipped silently.
    let name = path.file_name()?.to_string_lossy();
    let name = name.as_ref();
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

/// The entries of a project folder that the analysis reads beyond its own
/// file list (templates, models, dependency pins): no symbolic links, and
/// the folders discovery skips (hidden ones, virtualenvs, build output,
/// `site-packages`, `node_modules`, ...) and those named in `also_skip`
/// left out, down to `max_depth`.
pub fn project_walk(
    root: &Path,
    max_depth: usize,
    also_skip: &'static [&'static str],
) -> impl Iterator<Item = ignore::DirEntry> {
    ignore::WalkBuilder::new(root)
        .follow_links(false)
        .max_depth(Some(max_depth))
        .filter_entry(move |entry| {
            entry.depth() == 0
                || !entry.file_type().is_some_and(|t| t.is_dir())
                || !(is_skipped_dir(entry.path())
                    || also_skip
                        .iter()
                        .any(|name| entry.file_name().eq_ignore_ascii_case(name)))
        })
        .build()
        .flatten()
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
    let mut out = String::with_capacity(rel.as_os_str().len());
    push_components(&mut out, rel);
    out
}

/// Appends the normal components of `path` to `out`, `/`-separated.
fn push_components(out: &mut String, path: &Path) {
    for component in path.components() {
        if let std::path::Component::Normal(name) = component {
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(&name.to_string_lossy());
        }
    }
}

/// The relative path of a walked entry: `prefix` (the walked argument
/// relative to the base, computed once) followed by the entry's components
/// below the argument.
fn relative_below(prefix: &str, path: &Path, root: &Path) -> String {
    let below = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::with_capacity(prefix.len() + 1 + below.as_os_str().len());
    out.push_str(prefix);
    push_components(&mut out, below);
    out
}

/// A sort key ordering paths as [`Path`]'s `Ord` does (component by
/// component), compared as bytes: each component is a kind byte, its bytes
/// and a NUL (which no file name contains). Sorting thousands of paths by
/// this key is several times cheaper than comparing their components
/// again at every step.
fn path_order_key(path: &Path) -> Vec<u8> {
    use std::path::Component;
    let mut key = Vec::with_capacity(path.as_os_str().len() + 16);
    for component in path.components() {
        let (kind, bytes): (u8, &[u8]) = match component {
            Component::Prefix(prefix) => (1, prefix.as_os_str().as_encoded_bytes()),
            Component::RootDir => (2, b""),
            Component::CurDir => (3, b""),
            Component::ParentDir => (4, b""),
            Component::Normal(name) => (5, name.as_encoded_bytes()),
        };
        key.push(kind);
        key.extend_from_slice(bytes);
        key.push(0);
    }
    key
}

/// Lists the files to analyse under `paths`, sorted, without duplicates, and
/// the symbolic links that were not followed.
pub fn discover(paths: &[PathBuf], settings: &CheckSettings) -> Result<Discovery, DiscoveryError> {
    let project_root = settings.project_root.as_deref().map(absolute);
    let mut out = Vec::new();
    let mut unfollowed = Vec::new();
    for (root_index, root) in paths.iter().enumerate() {
        match std::fs::metadata(root) {
            Err(_) if std::fs::symlink_metadata(root).is_err() => {
                return Err(DiscoveryError::Missing(root.clone()));
            }
            // A dangling link named on the command line.
            Err(_) => return Err(DiscoveryError::Missing(root.clone())),
            Ok(meta) if !meta.is_file() && !meta.is_dir() => {
                return Err(DiscoveryError::NotRegular(root.clone()));
            }
            Ok(_) => {}
        }
        let absolute_root = absolute(root);
        let base = match &project_root {
            Some(project) if absolute_root.starts_with(project) => project.clone(),
            _ if root.is_file() => absolute_root
                .parent()
                .map_or_else(|| absolute_root.clone(), Path::to_path_buf),
            _ => absolute_root.clone(),
        };
        if root.is_file() {
            let kind = classify(root).unwrap_or(FileKind::Python);
            let relative = relative_string(&absolute_root, &base);
            out.push(DiscoveredFile {
                path: root.clone(),
                relative,
                kind,
                root_index,
                explicit: true,
            });
            continue;
        }
        let exclude = settings.exclude.clone();
        // The argument relative to the base, once: each entry's relative path
        // is this followed by its components below the argument.
        let prefix = relative_string(&absolute_root, &base);
        let filter_prefix = prefix.clone();
        let filter_root = root.clone();
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .require_git(false)
            .parents(true)
            .filter_entry(move |entry| {
                if entry.depth() == 0 {
                    return true;
                }
                let path = entry.path();
                // A link to a folder counts as that folder (a linked `venv` is
                // skipped without a note).
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir())
                    || (entry.path_is_symlink() && path.is_dir());
                if is_dir && is_skipped_dir(path) {
                    return false;
                }
                exclude.is_empty()
                    || !exclude.matches(&relative_below(&filter_prefix, path, &filter_root))
            })
            .build_parallel();
        let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| absolute_root.clone());
        // The folders are walked on several threads (the order does not matter:
        // the list is sorted below).
        let found = std::sync::Mutex::new((Vec::new(), Vec::new()));
        walker.run(|| {
            let found = &found;
            let (canonical_root, prefix) = (&canonical_root, prefix.as_str());
            Box::new(move |entry| {
                let Ok(entry) = entry else {
                    return ignore::WalkState::Continue;
                };
                if entry.depth() > 0 && entry.path_is_symlink() {
                    if let Some(link) = unfollowed_link(entry.path(), canonical_root) {
                        lock(found).1.push(link);
                    }
                    return ignore::WalkState::Continue;
                }
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    return ignore::WalkState::Continue;
                }
                let path = entry.into_path();
                let Some(kind) = classify(&path) else {
                    return ignore::WalkState::Continue;
                };
                let relative = relative_below(prefix, &path, root);
                lock(found).0.push(DiscoveredFile {
                    path,
                    relative,
                    kind,
                    root_index,
                    explicit: false,
                });
                ignore::WalkState::Continue
            })
        });
        let (files, links) = found.into_inner().unwrap_or_else(|e| e.into_inner());
        out.extend(files);
        unfollowed.extend(links);
    }
    out.sort_by_cached_key(|f| path_order_key(&f.path));
    out.dedup_by(|a, b| a.path == b.path);
    unfollowed.sort_by(|a: &UnfollowedLink, b| a.path.cmp(&b.path));
    unfollowed.dedup();
    Ok(Discovery {
        files: out,
        unfollowed,
    })
}

/// The link at `path` when it is worth a note: it leads outside `root` (a
/// canonical folder) to a folder or an input file, or it does not resolve and
/// its name is an input's. A link within `root` is silent: its target is
/// walked there.
fn unfollowed_link(path: &Path, root: &Path) -> Option<UnfollowedLink> {
    match std::fs::canonicalize(path) {
        Ok(target) if target.starts_with(root) => None,
        Ok(target) => (target.is_dir() || classify(path).is_some() || classify(&target).is_some())
            .then(|| UnfollowedLink {
                path: path.to_path_buf(),
                target: Some(target),
            }),
        Err(_) => classify(path).is_some().then(|| UnfollowedLink {
            path: path.to_path_buf(),
            target: None,
        }),
    }
}

/// The walk's shared lists (a panic on another thread does not poison them for
/// this one: the lists stay valid).
fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_tree_are_listed_not_followed() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("shared.py"), "x = 1\n").unwrap();
        std::fs::write(outside.path().join("notes.txt"), "x\n").unwrap();
        std::fs::create_dir(outside.path().join("lib")).unwrap();
        std::fs::write(outside.path().join("lib/util.py"), "x = 1\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("app.py"), "x = 1\n").unwrap();
        symlink(outside.path().join("shared.py"), root.join("shared.py")).unwrap();
        symlink(outside.path().join("lib"), root.join("lib")).unwrap();
        symlink(outside.path().join("notes.txt"), root.join("notes.txt")).unwrap();
        symlink(outside.path().join("lib"), root.join("venv")).unwrap();
        symlink(root.join("missing.py"), root.join("dangling.py")).unwrap();
        symlink(root.join("app.py"), root.join("alias.py")).unwrap();

        let found = discover(&[root.to_path_buf()], &CheckSettings::default()).unwrap();
        let files: Vec<_> = found.files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(files, ["app.py"], "no link is followed");
        let links: Vec<_> = found
            .unfollowed
            .iter()
            .map(|l| {
                let name = l.path.file_name().unwrap().to_string_lossy().into_owned();
                (name, l.target.is_some())
            })
            .collect();
        // Not listed: the link inside the tree (alias.py), a linked virtualenv
        // (venv) and a link to a file no rule reads (notes.txt).
        assert_eq!(
            links,
            [
                ("dangling.py".to_owned(), false),
                ("lib".to_owned(), true),
                ("shared.py".to_owned(), true),
            ]
        );
    }

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

    #[test]
    fn the_sort_key_orders_paths_as_paths_do() {
        let paths = [
            "a/b.py",
            "a-b/c.py",
            "a.py",
            "a/b/c.py",
            "a/b.pyc/d.py",
            "ab/c.py",
            "./a/b.py",
            "../x.py",
            "/abs/x.py",
            "a//b.py",
            "Z/a.py",
            "a/\u{e9}.py",
            "a/e.py",
        ];
        for x in paths {
            for y in paths {
                let (px, py) = (Path::new(x), Path::new(y));
                assert_eq!(
                    path_order_key(px).cmp(&path_order_key(py)),
                    px.cmp(py),
                    "{x} vs {y}"
                );
            }
        }
    }

    #[test]
    fn relative_paths_below_a_walked_argument() {
        let root = Path::new("./src");
        assert_eq!(
            relative_below("", Path::new("./src/app/x.py"), root),
            "app/x.py"
        );
        assert_eq!(
            relative_below("proj/src", Path::new("./src/app/x.py"), root),
            "proj/src/app/x.py"
        );
        assert_eq!(
            relative_string(Path::new("/p/q/./r.py"), Path::new("/p")),
            "q/r.py"
        );
    }
}
