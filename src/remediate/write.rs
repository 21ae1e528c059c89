//! Writing fixed files safely: only below the paths given on the command line,
//! never through a symbolic link that leaves them, never over a file that
//! changed on disk since it was analysed, never over a read-only file, and
//! atomically (a temporary file in the same folder, permissions copied, then a
//! rename), so an interrupted run leaves either the old or the new file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why one file was not written (the others still are).
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file changed on disk after it was analysed.
    #[error("{0}: changed on disk since it was analysed; not fixed (run `fix` again)")]
    Changed(PathBuf),
    /// The file (or its folder) is read-only.
    #[error("{0}: the file is read-only; not changed")]
    ReadOnly(PathBuf),
    /// A symbolic link, or a path, that leads outside the given paths.
    #[error(
        "{0}: resolves outside the paths given to `fix` (symbolic link not followed); not changed"
    )]
    Outside(PathBuf),
    /// The file was expected to be new but exists now.
    #[error("{0}: was created by someone else since it was analysed; not overwritten")]
    Exists(PathBuf),
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The folders (canonical) under which `fix` may write.
#[derive(Debug, Clone)]
pub struct Roots(Vec<PathBuf>);

impl Roots {
    /// The canonical forms of the given paths (a file argument allows only
    /// itself). A file argument that is a symbolic link allows only the link's
    /// own location, so the file it points to is never written through it.
    pub fn new(paths: &[PathBuf]) -> std::io::Result<Self> {
        paths
            .iter()
            .map(|path| {
                let link = fs::symlink_metadata(path)?.file_type().is_symlink();
                if link && !path.is_dir() {
                    let parent = path
                        .parent()
                        .filter(|p| !p.as_os_str().is_empty())
                        .unwrap_or(Path::new("."));
                    let name = path.file_name().unwrap_or(path.as_os_str());
                    Ok(fs::canonicalize(parent)?.join(name))
                } else {
                    fs::canonicalize(path)
                }
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    /// Whether `path` (canonical) is one of the roots or below a folder root.
    pub fn contains(&self, path: &Path) -> bool {
        self.0.iter().any(|root| path.starts_with(root))
    }

    /// The canonical location `path` writes to: the path itself, or the target
    /// of a symbolic link; `Outside` when that is not under a root. A file that
    /// does not exist yet resolves through its folder.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, WriteError> {
        let resolved = match fs::canonicalize(path) {
            Ok(p) => p,
            Err(_) => {
                let parent = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let name = path
                    .file_name()
                    .ok_or_else(|| WriteError::Outside(path.to_path_buf()))?;
                fs::canonicalize(parent).map_err(io(path))?.join(name)
            }
        };
        if self.contains(&resolved) {
            Ok(resolved)
        } else {
            Err(WriteError::Outside(path.to_path_buf()))
        }
    }
}

/// Writes `new` to `path` if the file still holds `expected` (`None`: the file
/// must not exist yet), atomically and keeping its permissions.
pub fn write_checked(
    roots: &Roots,
    path: &Path,
    expected: Option<&[u8]>,
    new: &[u8],
) -> Result<(), WriteError> {
    let target = roots.resolve(path)?;
    match expected {
        Some(expected) => {
            let current = fs::read(&target).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => WriteError::Changed(path.to_path_buf()),
                _ => io(path)(e),
            })?;
            if current != expected {
                return Err(WriteError::Changed(path.to_path_buf()));
            }
            let metadata = fs::metadata(&target).map_err(io(path))?;
            if metadata.permissions().readonly() {
                return Err(WriteError::ReadOnly(path.to_path_buf()));
            }
            atomic_write(&target, new, Some(metadata.permissions())).map_err(|e| match e.kind() {
                std::io::ErrorKind::PermissionDenied => WriteError::ReadOnly(path.to_path_buf()),
                _ => io(path)(e),
            })
        }
        None => {
            if fs::symlink_metadata(&target).is_ok() {
                return Err(WriteError::Exists(path.to_path_buf()));
            }
            atomic_write(&target, new, None).map_err(|e| match e.kind() {
                std::io::ErrorKind::PermissionDenied => WriteError::ReadOnly(path.to_path_buf()),
                _ => io(path)(e),
            })
        }
    }
}

/// Writes a temporary file beside `target`, then renames it over `target`.
fn atomic_write(
    target: &Path,
    bytes: &[u8],
    permissions: Option<fs::Permissions>,
) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut attempt = 0u32;
    let (temp, mut file) = loop {
        let temp = dir.join(format!(
            ".{name}.flask-harden-{}-{attempt}.tmp",
            std::process::id()
        ));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => break (temp, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1
            }
            Err(e) => return Err(e),
        }
    };
    let result = (|| {
        file.write_all(bytes)?;
        file.sync_all()?;
        if let Some(permissions) = permissions {
            fs::set_permissions(&temp, permissions)?;
        }
        drop(file);
        fs::rename(&temp, target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("flask-harden-write-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn writes_atomically_and_refuses_stale_or_outside_files() {
        let dir = temp_dir("basic");
        let file = dir.join("app.py");
        fs::write(&file, "a\n").unwrap();
        let roots = Roots::new(std::slice::from_ref(&dir)).unwrap();
        write_checked(&roots, &file, Some(b"a\n"), b"b\n").unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"b\n");
        let err = write_checked(&roots, &file, Some(b"a\n"), b"c\n").unwrap_err();
        assert!(matches!(err, WriteError::Changed(_)), "{err}");
        assert_eq!(fs::read(&file).unwrap(), b"b\n");
        let outside = temp_dir("outside").join("secret.py");
        fs::write(&outside, "s\n").unwrap();
        let err = write_checked(&roots, &outside, Some(b"s\n"), b"x\n").unwrap_err();
        assert!(matches!(err, WriteError::Outside(_)), "{err}");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left"
        );
        fs::remove_dir_all(&dir).unwrap();
        fs::remove_dir_all(outside.parent().unwrap()).unwrap();
    }
}
