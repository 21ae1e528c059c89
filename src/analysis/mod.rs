//! The analysis engine behind `flask-harden check` (and `fix`): source files,
//! one adapter over the Ruff parser crates, a per-file semantic model, the rule
//! codes and registry, the [`Checker`](checker::Checker) that walks each module
//! once and dispatches to the rules, suppression comments, file discovery and
//! the parallel [`engine`].
//!
//! Data flow: [`discovery::discover`] lists files → [`engine::check_files`]
//! reads each into a [`source::SourceFile`], parses it with
//! [`parse::parse_python`], runs a [`checker::Checker`] over it (which calls
//! `rules::analyze_stmt` / `analyze_expr` / `analyze_module`, which call the
//! enabled rules' hooks, for every node),
//! drops suppressed findings and returns an [`engine::Report`] that the
//! `output` module prints.
//!
//! # Layers
//!
//! The only modules that depend on each other are the checker, the rules and
//! the registry (the checker runs the rules, the rules report to the
//! checker, the registry reads the rules' declarations and the dispatch
//! reads the registry). Everything else is below them and does not name
//! them: [`codes`] (the list of rules: [`Rule`], [`RuleSet`], [`Severity`],
//! selectors), which settings, suppressions and diagnostics use; and
//! [`context::ModuleContext`] (the module's source, parse result, semantic
//! model, file context and enabled rules), which the checker lends
//! (`checker.module()`) to the fix helpers ([`autofix`], [`imports`],
//! [`app_fixes`]) and the project facts collectors ([`project`]).
//!
//! # How to add a rule
//!
//! One new file, one registry line, a fixture and a snapshot entry:
//!
//! 1. **Rule file.** Create `src/analysis/rules/<rule_name>.rs`, named after the
//!    rule's kebab-case name in snake case (FH201 `cors-wildcard-origin` →
//!    `cors_wildcard_origin.rs`). The file opens with a `//!` line, then
//!    `pub const DOC: &str` with the sections `## What it does`,
//!    `## Why is this bad?`, `## Example`, `Use instead:`, `## Fix safety`,
//!    `## References` (with the rule's CWE and OWASP ids), then the rule's
//!    declaration, its metadata and hooks in one item:
//!
//!    ```text
//!    pub const RULE: RuleDef = RuleDef {
//!        name: "my-new-rule",
//!        fix: FixAvailability::Safe,
//!        cwe: "CWE-16",
//!        owasp: "A05:2021",
//!        owasp_title: "Security Misconfiguration",
//!        summary: "One line for `rule --all`",
//!        doc: Some(DOC),
//!        hooks: Hooks {
//!            call: Some(check_call),
//!            setting: Some(check_setting),
//!            ..Hooks::NONE
//!        },
//!    };
//!    ```
//!
//!    The hooks (see `rules::Hooks`) say where the rule looks; the dispatch
//!    calls them only when the rule is enabled for the file: `assign`
//!    (assignment statements), `class`, `call` and `dict` (once per node,
//!    parents before children), `setting` / `settings` (every `DEBUG = True` /
//!    `app.config["X"] = v` / `update(X=v)` / ... form, already extracted by
//!    `config_values`), `module` (after the walk), `project` (project-level
//!    checks over the merged [`project::ModuleFacts`] of every file, see
//!    `project.rs`), `text_file` (non-Python inputs), and the `flow_*` hooks of
//!    the rules that follow request data inside each scope (see
//!    `request_data`). `fix` is what the fixtures must show (a test checks it).
//!
//!    Check functions take `&mut Checker` plus the node (flow rules take a
//!    `&mut FlowChecker`: the same checker, plus `flow()`, what the scope's
//!    values carry, and `node()`, the expression's ancestors and statements),
//!    bail out early
//!    (`let ... else { return; }`) and end with one
//!    `checker.report(Diagnostic::new(Rule::X, range, message))`, adding
//!    `.with_fix(Fix::safe(msg, edits))` / `Fix::unsafe_(..)` as the
//!    declaration says. The range is the most specific node (the keyword, the
//!    literal, the call). Messages say what is wrong and what to do; never put
//!    a secret in a message, and call `checker.mark_secret(range)` for secret
//!    literals. Useful helpers: `checker.semantic().resolve_qualified_name(expr)`
//!    (imports/aliases → `flask_cors.CORS`), `semantic().is_flask_app(expr)`,
//!    `semantic().instance_of(expr)`, `semantic().assigned_value(name)`,
//!    `checker.in_development_context()` (the RULES.md development exemption:
//!    call it in rules that have it), `config_values::environment_lookup`,
//!    `headers::header_writes_in_*`, and for fixes an `imports::ImportPlan` (the
//!    names new code needs, aliases reused, one isort-placed edit per
//!    statement) or the one-name `imports::ensure_import` and
//!    `ensure_from_import`, and `autofix::append_arguments`,
//!    `insert_after_statement`, `delete_current_statement`. The fix helpers
//!    take the module's context: `ensure_import(checker.module(), "os")`. Test code is exempted from FH1xx by the
//!    engine; nothing to do in the rule.
//! 2. **Registry line.** Add `MyNewRule => my_new_rule = "FH113" (Medium),`
//!    (variant, file, code, default severity) to the list in `codes.rs`, at
//!    the end of its hundred: that declares the module and creates
//!    `Rule::MyNewRule` with its code and severity, and its
//!    [`RULES`](registry::RULES) entry from the declaration. Nothing else to
//!    wire: the dispatch in `rules/mod.rs` calls the hooks of the enabled
//!    rules.
//! 3. **Fixture.** Add `tests/fixtures/rules/FHxxx.py` with `# OK` and `# Error`
//!    blocks: one line per detection form of RULES.md (under `# Error`) and one
//!    per exemption (under `# OK`); project-level rules use case folders
//!    `tests/fixtures/rules/FHxxx/<case>/` with `# expect: FHxxx` markers.
//! 4. **Snapshot.** Add the code to the list in `tests/it/rules.rs`, run
//!    `INSTA_UPDATE=always cargo test --test it rules::` and review the new file
//!    in `snapshots/` (it shows every diagnostic, and each fix as a diff).
//!    The test also fails if an `# OK` block produces a finding, an `# Error`
//!    block line produces none, or the fixes disagree with the declared `fix`.
//!    The `registry` tests check that every implemented rule has all
//!    documentation sections; `flask-harden rule FHxxx` prints them.

pub mod app_fixes;
pub mod autofix;
pub mod checker;
pub mod codes;
pub mod config_values;
pub mod context;
pub mod csp;
pub mod diagnostic;
pub mod discovery;
pub mod engine;
pub mod flask;
pub mod headers;
pub mod imports;
pub mod parse;
pub mod project;
pub mod project_config;
pub mod registry;
pub mod request_data;
pub mod rules;
pub(crate) mod schedule;
pub mod semantic;
pub mod settings;
pub mod source;
pub mod sql_params;
pub mod suppression;

pub use codes::{Rule, RuleSet, Severity};
pub use diagnostic::{Applicability, Dependency, Diagnostic, Edit, FileEdits, Fix};
pub use engine::{Report, check_paths};
pub use registry::RuleInfo;
pub use ruff_python_ast as ast;
pub use ruff_text_size::{Ranged, TextRange, TextSize};
pub use source::SourceFile;
