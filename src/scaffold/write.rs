//! Writing a rendered project: the target folder is checked first (an existing,
//! non-empty folder is refused unless forced), then each file is written to a
//! temporary file beside it and renamed into place, so a reader never sees a
//! half-written file. Forcing overwrites the template's files and never deletes
//! anything else.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;

use super::render::RenderedFile;
use super::{ScaffoldError, fresh_secret};

/// Refuses a target that exists and is not an empty folder, unless `force`.
pub fn check_target(root: &Path, force: bool) -> Result<(), ScaffoldError> {
    let metadata = match fs::symlink_metadata(root) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(ScaffoldError::io("inspecting", root)(err)),
    };
    if metadata.file_type().is_symlink() {
        return Err(ScaffoldError::LinkInTarget(root.to_path_buf()));
    }
    if !metadata.is_dir() {
        return Err(ScaffoldError::TargetNotAFolder(root.to_path_buf()));
    }
    let empty = fs::read_dir(root)
        .map_err(ScaffoldError::io("reading", root))?
        .next()
        .is_none();
    if empty || force {
        Ok(())
    } else {
        Err(ScaffoldError::TargetNotEmpty(root.to_path_buf()))
    }
}

/// Writes every file below `root`, creating folders as needed. Before anything
/// is written, every existing folder and file on the way to each file is
/// checked: a symbolic link anywhere (`NAME/tests -> ../elsewhere`) refuses
/// the whole project, so nothing is ever written outside `root`.
pub fn write_files(root: &Path, files: &[RenderedFile]) -> Result<(), ScaffoldError> {
    for file in files {
        let mut path = root.to_path_buf();
        for component in Path::new(&file.path).components() {
            path.push(component);
            match fs::symlink_metadata(&path) {
                Ok(metadata) if metadata.file_type().is_symlink() => {
                    return Err(ScaffoldError::LinkInTarget(path));
                }
                Ok(_) => {}
                // Nothing below a missing folder exists either.
                Err(_) => break,
            }
        }
    }
    fs::create_dir_all(root).map_err(ScaffoldError::io("creating", root))?;
    let mut created = std::collections::HashSet::from([root.to_path_buf()]);
    for file in files {
        let path = root.join(&file.path);
        let parent = path.parent().unwrap_or(root);
        if created.insert(parent.to_path_buf()) {
            fs::create_dir_all(parent).map_err(ScaffoldError::io("creating", parent))?;
        }
        write_atomic(&path, &file.contents, file.private)?;
    }
    Ok(())
}

/// Writes `contents` to a temporary file in the same folder, then renames it
/// over `path`. A private file is created with mode 0600 from the start.
pub fn write_atomic(path: &Path, contents: &[u8], private: bool) -> Result<(), ScaffoldError> {
    let parent = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let suffix = &fresh_secret()?[..12];
    let temp = parent.join(format!(".{name}.{suffix}.tmp"));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if private { 0o600 } else { 0o644 });
    }
    let result = options
        .open(&temp)
        .and_then(|mut out| out.write_all(contents))
        .and_then(|()| fs::rename(&temp, path));
    if let Err(err) = result {
        let _ = fs::remove_file(&temp);
        return Err(ScaffoldError::io("writing", path)(err));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("fh-write-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn target_checks() {
        let dir = scratch("target");
        assert!(check_target(&dir.join("missing"), false).is_ok());
        assert!(check_target(&dir, false).is_ok(), "an empty folder is fine");
        fs::write(dir.join("f"), "x").unwrap();
        assert!(matches!(
            check_target(&dir, false),
            Err(ScaffoldError::TargetNotEmpty(_))
        ));
        assert!(check_target(&dir, true).is_ok());
        assert!(
            check_target(&dir.join("f"), true).is_err(),
            "a file is never a target"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn writes_atomically_with_the_right_mode_and_no_leftovers() {
        let dir = scratch("atomic");
        let files = [
            RenderedFile {
                path: "a/b.txt".into(),
                contents: b"one".to_vec(),
                private: false,
            },
            RenderedFile {
                path: "s.env".into(),
                contents: b"key".to_vec(),
                private: true,
            },
        ];
        write_files(&dir, &files).unwrap();
        write_files(&dir, &files).unwrap(); // overwriting works too
        assert_eq!(fs::read(dir.join("a/b.txt")).unwrap(), b"one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.join("s.env"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
