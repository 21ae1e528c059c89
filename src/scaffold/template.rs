//! Template sources: the built-in hardened Flask API (embedded in the binary)
//! or a folder on disk. Both yield the same thing: a parsed manifest and the
//! template's files as relative paths with their bytes.

use std::borrow::Cow;
use std::path::Path;

use include_dir::{Dir, include_dir};

use super::ScaffoldError;
use super::manifest::{MANIFEST_FILE, Manifest};

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates/flask-api");

/// One file of a template.
#[derive(Debug)]
pub struct TemplateFile {
    /// Path relative to the template root, with `/` separators.
    pub path: String,
    pub contents: Cow<'static, [u8]>,
}

/// A loaded template: its manifest and its files (the manifest excluded).
#[derive(Debug)]
pub struct Template {
    /// Where it came from, for messages.
    pub origin: String,
    pub manifest: Manifest,
    pub files: Vec<TemplateFile>,
}

impl Template {
    /// The built-in hardened Flask API template.
    pub fn builtin() -> Result<Template, ScaffoldError> {
        let mut files = Vec::new();
        collect_embedded(&BUILTIN, &mut files);
        Template::from_files("built-in flask-api template".to_string(), files)
    }

    /// A team's template folder.
    pub fn from_dir(dir: &Path) -> Result<Template, ScaffoldError> {
        if !dir.join(MANIFEST_FILE).is_file() {
            return Err(ScaffoldError::Manifest(format!(
                "{} has no {MANIFEST_FILE}",
                dir.display()
            )));
        }
        let mut files = Vec::new();
        collect_dir(dir, dir, &mut files)?;
        Template::from_files(dir.display().to_string(), files)
    }

    /// A template from its files, the manifest among them.
    pub fn from_files(
        origin: String,
        mut files: Vec<TemplateFile>,
    ) -> Result<Template, ScaffoldError> {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let manifest_at = files
            .iter()
            .position(|f| f.path == MANIFEST_FILE)
            .ok_or_else(|| ScaffoldError::Manifest(format!("{origin} has no {MANIFEST_FILE}")))?;
        let manifest_file = files.remove(manifest_at);
        let text = std::str::from_utf8(&manifest_file.contents)
            .map_err(|_| ScaffoldError::Manifest(format!("{MANIFEST_FILE} is not UTF-8")))?;
        let manifest = Manifest::parse(text)?;
        Ok(Template {
            origin,
            manifest,
            files,
        })
    }
}

fn collect_embedded(dir: &'static Dir<'static>, out: &mut Vec<TemplateFile>) {
    for file in dir.files() {
        out.push(TemplateFile {
            path: file.path().to_string_lossy().replace('\\', "/"),
            contents: Cow::Borrowed(file.contents()),
        });
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

fn collect_dir(root: &Path, dir: &Path, out: &mut Vec<TemplateFile>) -> Result<(), ScaffoldError> {
    let entries = std::fs::read_dir(dir).map_err(ScaffoldError::io("reading", dir))?;
    for entry in entries {
        let path = entry.map_err(ScaffoldError::io("reading", dir))?.path();
        let file_type = std::fs::symlink_metadata(&path)
            .map_err(ScaffoldError::io("reading", &path))?
            .file_type();
        if file_type.is_dir() {
            if path.file_name().is_some_and(|name| name == ".git") {
                continue;
            }
            collect_dir(root, &path, out)?;
        } else if file_type.is_file() {
            let contents = std::fs::read(&path).map_err(ScaffoldError::io("reading", &path))?;
            let relative = path.strip_prefix(root).unwrap_or(&path);
            out.push(TemplateFile {
                path: relative.to_string_lossy().replace('\\', "/"),
                contents: Cow::Owned(contents),
            });
        } else {
            return Err(ScaffoldError::Render {
                path: path.display().to_string(),
                reason: "templates may hold only regular files and folders (no symbolic links)"
                    .into(),
            });
        }
    }
    Ok(())
}
