//! Snapshots of the generated tree for the default and the all-options answers
//! (every file and its contents, private files marked; the random SECRET_KEY masked).

use std::os::unix::fs::PermissionsExt;

use super::{ALL_OPTIONS, generate};
use crate::support::read_tree;

fn render_tree(project: &std::path::Path) -> String {
    let mut out = String::new();
    for (path, contents) in read_tree(project) {
        let mode = std::fs::metadata(project.join(&path))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        let text = String::from_utf8(contents).expect("generated files are text");
        let text = if path == ".env" {
            text.lines()
                .map(|line| match line.strip_prefix("SECRET_KEY=") {
                    Some(key) => {
                        assert_eq!(key.len(), 64, "SECRET_KEY length");
                        "SECRET_KEY=[64 random hex characters]".to_string()
                    }
                    None => line.to_string(),
                })
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        } else {
            text
        };
        // Only privacy is recorded: other modes follow the umask.
        let private = if mode & 0o077 == 0 {
            " (private: 600)"
        } else {
            ""
        };
        out.push_str(&format!("===== {path}{private}\n{text}"));
    }
    out
}

fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

#[test]
fn default_project_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let project = generate(tmp.path(), "myapi", &["--yes"]);
    snapshot_settings().bind(|| insta::assert_snapshot!("new_default_tree", render_tree(&project)));
}

#[test]
fn all_options_project_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let project = generate(tmp.path(), "myapi", ALL_OPTIONS);
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("new_all_options_tree", render_tree(&project)));
}
