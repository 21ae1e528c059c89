//! What is known about the module being checked, apart from the rules: the
//! file ([`FileContext`]) and, while it is walked, the [`ModuleContext`] that
//! the fix helpers (`autofix`, `imports`, `app_fixes`) and the project facts
//! collectors (`project`) read. The [`Checker`](super::checker::Checker)
//! lends it (`checker.module()`), so those modules do not depend on the
//! checker or the rules.

use std::collections::BTreeMap;

use super::codes::{Rule, RuleSet};
use super::parse::ParsedModule;
use super::semantic::SemanticModel;
use super::source::SourceFile;

/// Facts about the file being checked that do not come from its syntax.
#[derive(Debug, Clone, Default)]
pub struct FileContext {
    /// The path relative to the project root, `/`-separated.
    pub relative_path: String,
    /// Test code (RULES.md: `tests/`, `test/`, `test_*.py`, `*_test.py`, `conftest.py`,
    /// or configured `test-paths`).
    pub is_test: bool,
    /// A module whose file name marks development/testing configuration
    /// (`development.py`, `dev.py`, `local.py`, `testing.py`, `settings_dev.py`).
    pub is_development_module: bool,
    /// Names imported from a project module that re-exports them, with their
    /// origin (local name -> dotted name), found by the engine across modules.
    pub reexports: BTreeMap<String, String>,
    /// What the other modules of the project tell this one's request-data
    /// flow (functions they call with request data, what imported functions
    /// return), found by the engine.
    pub cross_module: super::request_data::CrossModule,
    /// Every folder name and module name (file stem) of the files being
    /// checked: an absolute import whose top-level name is not among them
    /// cannot name a module of the project (`None`: no such knowledge).
    pub project_names: Option<std::sync::Arc<rustc_hash::FxHashSet<String>>>,
    /// The FastAPI dependency aliases the other modules of the project
    /// define, found by the engine (`None`: none known).
    pub dependency_aliases: Option<std::sync::Arc<super::request_data::DependencyAliases>>,
    /// Every name some checked module imports with `from ... import`, found
    /// by the engine in their texts: the functions other modules may call
    /// (`None`: no such knowledge, any may be).
    pub imported_names: Option<std::sync::Arc<NameSet>>,
}

/// The module being walked, as the fix helpers and the project facts see it:
/// its source, parse result and semantic model (at the walk's current
/// position), the file's context and the rules enabled for it. A few
/// references, copied freely; borrowed from the checker.
#[derive(Clone, Copy)]
pub struct ModuleContext<'a> {
    source: &'a SourceFile,
    parsed: &'a ParsedModule,
    semantic: &'a SemanticModel<'a>,
    file: &'a FileContext,
    rules: RuleSet,
}

impl<'a> ModuleContext<'a> {
    /// The context of one module.
    pub fn new(
        source: &'a SourceFile,
        parsed: &'a ParsedModule,
        semantic: &'a SemanticModel<'a>,
        file: &'a FileContext,
        rules: RuleSet,
    ) -> Self {
        Self {
            source,
            parsed,
            semantic,
            file,
            rules,
        }
    }

    /// The file.
    pub fn source(self) -> &'a SourceFile {
        self.source
    }

    /// The parse result (tokens, comments).
    pub fn parsed(self) -> &'a ParsedModule {
        self.parsed
    }

    /// The semantic model.
    pub fn semantic(self) -> &'a SemanticModel<'a> {
        self.semantic
    }

    /// Facts about the file (test code, development module, relative path).
    pub fn file(self) -> &'a FileContext {
        self.file
    }

    /// Whether `rule` is enabled for this file.
    pub fn enabled(self, rule: Rule) -> bool {
        self.rules.contains(rule)
    }
}

/// A set of names kept as 64-bit hashes: built on the workers without
/// allocating a string per name, and merged cheaply. A collision (about one
/// in 2^64 per pair of names) only makes an absent name look present, which
/// the sets used here tolerate (they over-approximate anyway).
#[derive(Debug, Clone, Default)]
pub struct NameSet(rustc_hash::FxHashSet<u64>);

impl NameSet {
    /// The hash a name is kept as.
    pub fn key(name: &str) -> u64 {
        use std::hash::{BuildHasher, BuildHasherDefault};
        BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(name)
    }

    /// Adds names by their [`NameSet::key`]s.
    pub fn extend_keys(&mut self, keys: impl IntoIterator<Item = u64>) {
        self.0.extend(keys);
    }

    /// Adds a name.
    pub fn insert(&mut self, name: &str) {
        self.0.insert(Self::key(name));
    }

    /// Whether the set holds `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains(&Self::key(name))
    }
}
