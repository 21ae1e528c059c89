//! The validated settings of one `check` run: which rules run, which paths are
//! excluded, per-file ignores and what counts as test code. Built from the
//! command line and `[tool.flask-harden]`; invalid codes or globs are errors
//! here, before any file is read.

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use super::registry::{self, Rule, RuleSet};

/// A settings problem (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A code or prefix that names no rule.
    #[error("unknown rule code or prefix `{code}` in {origin} (see `flask-harden rule --all`)")]
    UnknownCode {
        /// The code as written.
        code: String,
        /// Where it came from, e.g. `--select`.
        origin: String,
    },
    /// An invalid glob.
    #[error("invalid glob `{glob}` in {origin}: {source}")]
    Glob {
        /// The pattern.
        glob: String,
        /// Where it came from.
        origin: String,
        /// The parser's complaint.
        source: globset::Error,
    },
}

/// A compiled list of globs, matched against a path relative to the project
/// root (`/`-separated) and against each of its components (`build` excludes any
/// folder named build, `scripts/*.py` the files under scripts/).
#[derive(Debug, Clone, Default)]
pub struct PathPatterns {
    set: Option<GlobSet>,
}

impl PathPatterns {
    /// Compiles `patterns`; `origin` names the option in errors.
    pub fn new(patterns: &[String], origin: &str) -> Result<Self, SettingsError> {
        if patterns.is_empty() {
            return Ok(Self::default());
        }
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            let trimmed = pattern.trim_start_matches("./").trim_end_matches('/');
            for candidate in [trimmed.to_owned(), format!("{trimmed}/**")] {
                builder.add(glob(&candidate, pattern, origin)?);
            }
        }
        let set = builder.build().map_err(|source| SettingsError::Glob {
            glob: patterns.join(", "),
            origin: origin.to_owned(),
            source,
        })?;
        Ok(Self { set: Some(set) })
    }

    /// Whether a relative path (or one of its components) matches.
    pub fn matches(&self, relative: &str) -> bool {
        let Some(set) = &self.set else { return false };
        set.is_match(relative) || relative.split('/').any(|component| set.is_match(component))
    }

    /// Whether there are no patterns.
    pub fn is_empty(&self) -> bool {
        self.set.is_none()
    }
}

fn glob(pattern: &str, original: &str, origin: &str) -> Result<Glob, SettingsError> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|source| SettingsError::Glob {
            glob: original.to_owned(),
            origin: origin.to_owned(),
            source,
        })
}

/// The validated settings of a check run.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    /// Enabled rules.
    pub rules: RuleSet,
    /// Paths not walked (explicit file arguments are still checked).
    pub exclude: PathPatterns,
    /// Per-file ignores: files matching the patterns do not get the rules.
    pub per_file_ignores: Vec<(PathPatterns, RuleSet)>,
    /// Extra globs that count as test code (besides RULES.md's defaults).
    pub test_paths: PathPatterns,
    /// Whether test code is exempt from FH1xx (default true).
    pub exempt_tests: bool,
}

impl Default for CheckSettings {
    fn default() -> Self {
        Self {
            rules: RuleSet::all(),
            exclude: PathPatterns::default(),
            per_file_ignores: Vec::new(),
            test_paths: PathPatterns::default(),
            exempt_tests: true,
        }
    }
}

/// Resolves codes/prefixes to rules; unknown ones are errors.
pub fn parse_selectors(codes: &[String], origin: &str) -> Result<Vec<Rule>, SettingsError> {
    let mut out = Vec::new();
    for code in codes {
        let rules = registry::select(code);
        if rules.is_empty() {
            return Err(SettingsError::UnknownCode {
                code: code.clone(),
                origin: origin.to_owned(),
            });
        }
        out.extend(rules);
    }
    Ok(out)
}

/// `select` (default: all) minus `ignore`.
pub fn rule_selection(
    select: Option<&[String]>,
    ignore: &[String],
    origin: &str,
) -> Result<RuleSet, SettingsError> {
    let mut rules = match select {
        Some(select) => parse_selectors(select, &format!("{origin}select"))?
            .into_iter()
            .collect(),
        None => RuleSet::all(),
    };
    for rule in parse_selectors(ignore, &format!("{origin}ignore"))? {
        rules.remove(rule);
    }
    Ok(rules)
}

impl CheckSettings {
    /// The rules that apply to a file, given whether it is test code.
    pub fn rules_for(&self, relative: &str, is_test: bool) -> RuleSet {
        let mut rules = self.rules;
        for (patterns, ignored) in &self.per_file_ignores {
            if patterns.matches(relative) {
                ignored.iter().for_each(|r| rules.remove(r));
            }
        }
        if is_test && self.exempt_tests {
            registry::select("FH1")
                .into_iter()
                .for_each(|r| rules.remove(r));
        }
        rules
    }

    /// Whether a path relative to the project root is test code: under `tests/` or
    /// `test/`, `test_*.py`, `*_test.py`, `conftest.py`, or a configured test path.
    pub fn is_test_path(&self, relative: &str) -> bool {
        let mut components: Vec<&str> = relative.split('/').collect();
        let file = components.pop().unwrap_or("");
        components.iter().any(|c| *c == "tests" || *c == "test")
            || file == "conftest.py"
            || (file.starts_with("test_") && file.ends_with(".py"))
            || file.ends_with("_test.py")
            || self.test_paths.matches(relative)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_and_unknown_codes() {
        let rules = rule_selection(Some(&["FH1".into()]), &["FH102".into()], "--").unwrap();
        assert!(rules.contains(Rule::DebugModeEnabled));
        assert!(!rules.contains(Rule::HardcodedSecret));
        assert!(!rules.contains(Rule::CorsWildcardOrigin));
        let err = rule_selection(None, &["FH999".into()], "--").unwrap_err();
        assert!(err.to_string().contains("FH999"), "{err}");
    }

    #[test]
    fn patterns_match_paths_and_components() {
        let p = PathPatterns::new(
            &["build".into(), "scripts/*.py".into(), "legacy/".into()],
            "exclude",
        )
        .unwrap();
        assert!(p.matches("a/build/x.py"));
        assert!(p.matches("scripts/run.py"));
        assert!(p.matches("legacy/deep/x.py"));
        assert!(!p.matches("src/scripts.py"));
    }

    #[test]
    fn test_paths() {
        let s = CheckSettings::default();
        for path in [
            "tests/test_app.py",
            "test/x.py",
            "pkg/test_views.py",
            "views_test.py",
            "conftest.py",
        ] {
            assert!(s.is_test_path(path), "{path}");
        }
        for path in ["app.py", "testing.py", "contest.py", "latest/app.py"] {
            assert!(!s.is_test_path(path), "{path}");
        }
        assert!(
            !s.rules_for("tests/x.py", true)
                .contains(Rule::DebugModeEnabled)
        );
    }
}
