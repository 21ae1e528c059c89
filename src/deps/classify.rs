//! Which dependency files and groups are production and which are development,
//! exactly as RULES.md defines them.
//!
//! Production: `requirements.txt`, `requirements/base*.txt`,
//! `requirements/prod*.txt`, `[project].dependencies`,
//! `[tool.poetry.dependencies]`. Development: `requirements-dev*.txt`,
//! `requirements/dev*.txt`, `requirements/test*.txt`, and optional-dependency
//! extras and dependency groups named `dev`, `test`, `lint` or `docs` (Poetry's
//! legacy `dev-dependencies` is its `dev` group). Everything else is
//! [`Role::Other`]: still checked for vulnerable pins, never for FH107.

use std::path::Path;

use super::requirement::normalize_name;

/// The role of a dependency file or group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Production,
    Development,
    Other,
}

/// The group names that mark development dependencies.
pub const DEVELOPMENT_GROUPS: [&str; 4] = ["dev", "test", "lint", "docs"];

/// Whether `path` names a pip requirements file: `requirements*.txt`
/// anywhere, or any `.txt` file directly in a `requirements/` folder.
pub fn is_requirements_file(path: &Path) -> bool {
    let Some(name) = file_name_lower(path) else {
        return false;
    };
    if !name.ends_with(".txt") {
        return false;
    }
    name.starts_with("requirements") || in_requirements_dir(path)
}

/// The role of a requirements file, or `None` when `path` is not one.
pub fn requirements_file_role(path: &Path) -> Option<Role> {
    if !is_requirements_file(path) {
        return None;
    }
    let name = file_name_lower(path)?;
    let role = if in_requirements_dir(path) {
        if name.starts_with("base") || name.starts_with("prod") || name == "requirements.txt" {
            Role::Production
        } else if name.starts_with("dev")
            || name.starts_with("test")
            || name.starts_with("requirements-dev")
        {
            Role::Development
        } else {
            Role::Other
        }
    } else if name == "requirements.txt" {
        Role::Production
    } else if name.starts_with("requirements-dev") {
        Role::Development
    } else {
        Role::Other
    };
    Some(role)
}

/// The role of an optional-dependency extra or a dependency group.
pub fn group_role(name: &str) -> Role {
    let normalized = normalize_name(name);
    if DEVELOPMENT_GROUPS.contains(&normalized.as_str()) {
        Role::Development
    } else {
        Role::Other
    }
}

fn file_name_lower(path: &Path) -> Option<String> {
    Some(path.file_name()?.to_str()?.to_ascii_lowercase())
}

fn in_requirements_dir(path: &Path) -> bool {
    path.parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.eq_ignore_ascii_case("requirements"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(path: &str) -> Option<Role> {
        requirements_file_role(Path::new(path))
    }

    #[test]
    fn production_files() {
        assert_eq!(role("requirements.txt"), Some(Role::Production));
        assert_eq!(role("app/requirements.txt"), Some(Role::Production));
        assert_eq!(role("requirements/base.txt"), Some(Role::Production));
        assert_eq!(role("requirements/base-py311.txt"), Some(Role::Production));
        assert_eq!(role("requirements/prod.txt"), Some(Role::Production));
        assert_eq!(role("requirements/production.txt"), Some(Role::Production));
    }

    #[test]
    fn development_files() {
        assert_eq!(role("requirements-dev.txt"), Some(Role::Development));
        assert_eq!(role("requirements-dev-lock.txt"), Some(Role::Development));
        assert_eq!(role("requirements/dev.txt"), Some(Role::Development));
        assert_eq!(
            role("requirements/development.txt"),
            Some(Role::Development)
        );
        assert_eq!(role("requirements/test.txt"), Some(Role::Development));
        assert_eq!(role("requirements/tests.txt"), Some(Role::Development));
    }

    #[test]
    fn other_and_non_requirement_files() {
        assert_eq!(role("requirements-test.txt"), Some(Role::Other));
        assert_eq!(role("requirements/docs.txt"), Some(Role::Other));
        assert_eq!(role("requirements.in"), None);
        assert_eq!(role("notes.txt"), None);
        assert_eq!(role("pyproject.toml"), None);
        assert!(is_requirements_file(Path::new("REQUIREMENTS.TXT")));
    }

    #[test]
    fn groups() {
        for name in ["dev", "test", "lint", "docs", "Dev", "DOCS"] {
            assert_eq!(group_role(name), Role::Development, "{name}");
        }
        for name in ["tests", "postgres", "typing", "main"] {
            assert_eq!(group_role(name), Role::Other, "{name}");
        }
    }
}
