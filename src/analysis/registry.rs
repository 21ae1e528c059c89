//! The rule registry: each rule's declaration, collected from its file. The
//! list of rules is in [`codes`](super::codes) (one line per rule: its
//! [`Rule`] variant, its file in `rules/`, its code and default severity);
//! each rule file holds a `pub const RULE: RuleDef` with the rest of what the
//! rule says about itself (name, fix availability, CWE, OWASP category,
//! summary, documentation, hooks), and the `registry!` macro turns the list
//! into the [`RULES`] table.
//!
//! A rule whose declaration has no documentation (`doc: None`) is not
//! implemented yet: it is registered (so it can be selected, ignored and
//! suppressed) but produces nothing.

use super::codes::{Rule, Severity, for_each_rule};
use super::rules::{self, Hooks};

/// Which fixes a rule offers (RULES.md's fix column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    /// Report only (`-`).
    None,
    /// Safe fixes.
    Safe,
    /// Unsafe fixes only.
    Unsafe,
    /// Safe for some forms, unsafe for others (FH105).
    SafeOrUnsafe,
    /// Safe for some forms, report only for others (FH204, FH306).
    Sometimes,
    /// Unsafe for some forms, report only for others (FH302).
    SometimesUnsafe,
}

impl FixAvailability {
    /// A short label for `rule --all`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "-",
            Self::Safe => "safe",
            Self::Unsafe => "unsafe",
            Self::SafeOrUnsafe => "safe/unsafe",
            Self::Sometimes => "sometimes",
            Self::SometimesUnsafe => "unsafe/-",
        }
    }
}

/// A rule's declaration, in its own file (`rules/<name>.rs`, `pub const RULE`):
/// its metadata and the hooks the dispatch calls. The registry turns it into a
/// [`RuleInfo`].
#[derive(Debug, Clone, Copy)]
pub struct RuleDef {
    /// The stable kebab-case name, e.g. `debug-mode-enabled`.
    pub name: &'static str,
    /// Fix availability (checked against the rule's fixtures by a test).
    pub fix: FixAvailability,
    /// Primary CWE id, e.g. `CWE-489`.
    pub cwe: &'static str,
    /// OWASP Top 10 (2021) id, e.g. `A05:2021`.
    pub owasp: &'static str,
    /// OWASP Top 10 category title.
    pub owasp_title: &'static str,
    /// One-line summary (RULES.md's "detects" column, shortened).
    pub summary: &'static str,
    /// Markdown documentation with the fixed sections; `None` = not implemented yet.
    pub doc: Option<&'static str>,
    /// Where the rule looks (see `rules`).
    pub(crate) hooks: Hooks,
}

/// Everything the registry knows about one rule: its [`Rule`] value, code
/// and default severity, and its declaration, whose fields read through
/// (`info.name`, `info.cwe`).
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// The enum value.
    pub rule: Rule,
    /// The stable code, e.g. `FH101`.
    pub code: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// The rule file's declaration.
    pub def: &'static RuleDef,
}

impl std::ops::Deref for RuleInfo {
    type Target = RuleDef;

    fn deref(&self) -> &RuleDef {
        self.def
    }
}

macro_rules! registry {
    ($($variant:ident => $module:ident = $code:literal ($severity:ident),)*) => {
        /// Every rule, in code order.
        pub static RULES: &[RuleInfo] = &[
            $(RuleInfo {
                rule: Rule::$variant,
                code: $code,
                severity: Severity::$severity,
                def: &rules::$module::RULE,
            },)*
        ];
    };
}

for_each_rule!(registry);

/// What the registry adds to a [`Rule`]: its declaration.
impl Rule {
    /// The registry entry.
    pub fn info(self) -> &'static RuleInfo {
        // The table is in enum order: the discriminant is the index.
        &RULES[self as usize]
    }

    /// The stable name, e.g. `debug-mode-enabled`.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Whether the rule is implemented (has documentation and a check).
    pub fn is_implemented(self) -> bool {
        self.info().doc.is_some()
    }

    /// Looks a rule up by exact code (case-insensitive) or name.
    pub fn from_code(code: &str) -> Option<Self> {
        RULES
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(code) || r.name == code)
            .map(|r| r.rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_enum_order() {
        assert_eq!(RULES.len(), Rule::all().count());
        for (i, info) in RULES.iter().enumerate() {
            assert_eq!(info.rule as usize, i, "{}", info.code);
            assert_eq!(info.rule.code(), info.code);
            assert_eq!(info.rule.severity(), info.severity);
            assert_eq!(Rule::from_code(info.code), Some(info.rule));
            assert_eq!(Rule::from_code(info.name), Some(info.rule));
        }
    }

    #[test]
    fn rule_names_are_unique_kebab_case() {
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
        for name in names {
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{name}"
            );
        }
    }

    #[test]
    fn catalogue_codes_are_all_registered() {
        for code in [
            "FH101", "FH102", "FH103", "FH104", "FH105", "FH106", "FH107", "FH108", "FH201",
            "FH202", "FH203", "FH204", "FH301", "FH302", "FH303", "FH304", "FH305", "FH306",
            "FH307", "FH308", "FH401", "FH402", "FH403", "FH501", "FH601", "FH602", "FH109",
            "FH110", "FH111", "FH112", "FH502", "FH701",
        ] {
            assert!(Rule::from_code(code).is_some(), "{code} missing");
            assert_eq!(
                crate::analysis::codes::select(code).len(),
                1,
                "{code} not selectable"
            );
        }
    }

    #[test]
    fn implemented_rules_have_every_doc_section() {
        for info in RULES {
            let Some(doc) = info.doc else { continue };
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "Use instead:",
                "## Fix safety",
                "## References",
            ] {
                assert!(doc.contains(section), "{} lacks `{section}`", info.code);
            }
            assert!(
                doc.contains(info.cwe),
                "{} references lack {}",
                info.code,
                info.cwe
            );
            assert!(
                doc.contains(info.owasp),
                "{} references lack {}",
                info.code,
                info.owasp
            );
        }
    }
}
