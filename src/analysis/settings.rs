//! The validated settings of one `check` run: which rules run, which paths are
//! excluded, per-file ignores and what counts as test code. Built from the
//! command line and `[tool.flask-harden]`; invalid codes or globs are errors
//! here, before any file is read.

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use std::path::PathBuf;

use super::codes::{self, Rule, RuleSet};
use super::project_config::ProjectConfig;

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
    /// The folder globs are relative to (the pyproject.toml's), if any.
    pub project_root: Option<PathBuf>,
}

/// What the command line says, on top of `[tool.flask-harden]`.
#[derive(Debug, Clone, Default)]
pub struct SettingsOverrides {
    /// `--select`: replaces the configured selection.
    pub select: Option<Vec<String>>,
    /// `--ignore`: added to the configured ignores.
    pub ignore: Vec<String>,
    /// `--exclude`: replaces the configured `exclude`.
    pub exclude: Option<Vec<String>>,
    /// `--extend-exclude`: added.
    pub extend_exclude: Vec<String>,
}

impl Default for CheckSettings {
    fn default() -> Self {
        Self {
            rules: RuleSet::all(),
            exclude: PathPatterns::default(),
            per_file_ignores: Vec::new(),
            test_paths: PathPatterns::default(),
            exempt_tests: true,
            project_root: None,
        }
    }
}

/// Resolves codes/prefixes to rules; unknown ones are errors.
pub fn parse_selectors(codes: &[String], origin: &str) -> Result<Vec<Rule>, SettingsError> {
    let mut out = Vec::new();
    for code in codes {
        let rules = codes::select(code);
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

impl CheckSettings {
    /// Layers the command line over the project configuration. `--select`
    /// replaces the configured `select` (and wins over a configured `ignore` for
    /// the codes it names); `--ignore` adds to `ignore`; `--exclude` replaces
    /// `exclude`; `extend-exclude` from both is added.
    pub fn resolve(
        config: Option<&ProjectConfig>,
        cli: &SettingsOverrides,
    ) -> Result<Self, SettingsError> {
        let cfg = config.cloned().unwrap_or_default();
        let cli_selected: Option<RuleSet> = match &cli.select {
            Some(codes) => Some(parse_selectors(codes, "--select")?.into_iter().collect()),
            None => None,
        };
        let mut rules = match (&cli_selected, &cfg.select) {
            (Some(set), _) => *set,
            (None, Some(codes)) => parse_selectors(codes, "[tool.flask-harden] select")?
                .into_iter()
                .collect(),
            (None, None) => RuleSet::all(),
        };
        for rule in parse_selectors(&cfg.ignore, "[tool.flask-harden] ignore")? {
            let explicitly_selected = cli
                .select
                .as_ref()
                .is_some_and(|codes| codes.iter().any(|c| c.eq_ignore_ascii_case(rule.code())));
            if !explicitly_selected {
                rules.remove(rule);
            }
        }
        for rule in parse_selectors(&cli.ignore, "--ignore")? {
            rules.remove(rule);
        }
        let mut exclude = cli.exclude.clone().unwrap_or(cfg.exclude);
        exclude.extend(cfg.extend_exclude);
        exclude.extend(cli.extend_exclude.iter().cloned());
        let mut per_file_ignores = Vec::new();
        for (glob, codes) in &cfg.per_file_ignores {
            let origin = format!("[tool.flask-harden] per-file-ignores \"{glob}\"");
            let set = parse_selectors(codes, &origin)?.into_iter().collect();
            per_file_ignores.push((PathPatterns::new(std::slice::from_ref(glob), &origin)?, set));
        }
        Ok(Self {
            rules,
            exclude: PathPatterns::new(&exclude, "exclude")?,
            per_file_ignores,
            test_paths: PathPatterns::new(&cfg.test_paths, "[tool.flask-harden] test-paths")?,
            exempt_tests: true,
            project_root: config.map(|c| c.root().to_path_buf()),
        })
    }

    /// The rules that apply to a file, given whether it is test code.
    pub fn rules_for(&self, relative: &str, is_test: bool) -> RuleSet {
        let mut rules = self.rules;
        for (patterns, ignored) in &self.per_file_ignores {
            if patterns.matches(relative) {
                ignored.iter().for_each(|r| rules.remove(r));
            }
        }
        if is_test && self.exempt_tests {
            codes::select("FH1")
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
        let cli = |select: Option<Vec<String>>, ignore: Vec<String>| SettingsOverrides {
            select,
            ignore,
            ..SettingsOverrides::default()
        };
        let rules =
            CheckSettings::resolve(None, &cli(Some(vec!["FH1".into()]), vec!["FH102".into()]))
                .unwrap()
                .rules;
        assert!(rules.contains(Rule::DebugModeEnabled));
        assert!(!rules.contains(Rule::HardcodedSecret));
        assert!(!rules.contains(Rule::CorsWildcardOrigin));
        let err = CheckSettings::resolve(None, &cli(None, vec!["FH999".into()])).unwrap_err();
        assert!(err.to_string().contains("FH999"), "{err}");
    }

    #[test]
    fn command_line_overrides_configuration() {
        let config = ProjectConfig {
            select: Some(vec!["FH1".into()]),
            ignore: vec!["FH104".into(), "FH105".into()],
            exclude: vec!["migrations".into()],
            ..ProjectConfig::default()
        };
        let cli = SettingsOverrides {
            select: Some(vec!["FH104".into(), "FH2".into()]),
            ignore: vec!["FH203".into()],
            exclude: Some(vec!["legacy".into()]),
            ..SettingsOverrides::default()
        };
        let settings = CheckSettings::resolve(Some(&config), &cli).unwrap();
        let codes: Vec<_> = settings.rules.iter().map(Rule::code).collect();
        assert_eq!(codes, ["FH104", "FH201", "FH202", "FH204"]);
        assert!(settings.exclude.matches("legacy/x.py"));
        assert!(!settings.exclude.matches("migrations/x.py"));
        let plain = CheckSettings::resolve(Some(&config), &SettingsOverrides::default()).unwrap();
        assert!(plain.rules.contains(Rule::DebugModeEnabled));
        assert!(!plain.rules.contains(Rule::BindAllInterfaces));
        assert!(plain.exclude.matches("migrations/x.py"));
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
