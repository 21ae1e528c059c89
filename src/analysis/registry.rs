//! The rule registry: the list of every catalogue code (RULES.md), one line per
//! rule naming its [`Rule`] variant and the file in `rules/` that declares it.
//! Each rule file holds a `pub const RULE: RuleDef` with the rule's code, name,
//! severity, fix availability, CWE, OWASP category, summary, documentation and
//! hooks; the `registry!` macro turns the list into the [`Rule`] enum (in list
//! order, which is code order) and the [`RULES`] table.
//! Codes and names are stable; add new rules at the end of their hundred.
//!
//! A rule whose declaration has no documentation (`doc: None`) is not
//! implemented yet: it is registered (so it can be selected, ignored and
//! suppressed) but produces nothing.

use std::fmt;

use super::rules::{self, Hooks};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Fix soon.
    Low,
    /// Fix before release.
    Medium,
    /// Fix now.
    High,
}

impl Severity {
    /// `"high"`, `"medium"` or `"low"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    /// The stable code, e.g. `FH101`.
    pub code: &'static str,
    /// The stable kebab-case name, e.g. `debug-mode-enabled`.
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
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

/// Everything the registry knows about one rule: its [`Rule`] value and its
/// declaration, whose fields read through (`info.code`, `info.severity`).
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// The enum value.
    pub rule: Rule,
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
    ($($variant:ident => $module:ident,)*) => {
        /// A catalogue rule. See [`RULES`] for its metadata.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $(#[doc = concat!("Declared in `rules/", stringify!($module), ".rs`.")] $variant,)*
        }

        /// Every rule, in code order.
        pub static RULES: &[RuleInfo] = &[
            $(RuleInfo { rule: Rule::$variant, def: &rules::$module::RULE },)*
        ];
    };
}

/// The list of rules, one line per rule: the [`Rule`] variant and the file in
/// `rules/` that declares the rule (`rules/<module>.rs`, `pub const RULE`).
/// Calls `$callback!` with the list: `registry!` here makes the enum and the
/// table, `rules::declare_modules!` declares the modules.
macro_rules! for_each_rule {
    ($callback:ident) => {
        $callback! {
            DebugModeEnabled => debug_mode_enabled,
            HardcodedSecret => hardcoded_secret,
            WeakSecretKey => weak_secret_key,
            BindAllInterfaces => bind_all_interfaces,
            InsecureSessionCookie => insecure_session_cookie,
            CsrfProtectionDisabled => csrf_protection_disabled,
            DebugToolbarExposed => debug_toolbar_exposed,
            MissingMaxContentLength => missing_max_content_length,
            JwtCookieCsrfDisabled => jwt_cookie_csrf_disabled,
            SqlEchoEnabled => sql_echo_enabled,
            SessionProtectionDisabled => session_protection_disabled,
            AdminViewsUnprotected => admin_views_unprotected,
            CorsWildcardOrigin => cors_wildcard_origin,
            MissingSecurityHeaders => missing_security_headers,
            MissingRateLimiting => missing_rate_limiting,
            WeakTalismanConfig => weak_talisman_config,
            UnvalidatedRequestBody => unvalidated_request_body,
            SqlInjection => sql_injection,
            TemplateInjection => template_injection,
            PathTraversal => path_traversal,
            CommandInjection => command_injection,
            UnsafeDeserialization => unsafe_deserialization,
            OpenRedirect => open_redirect,
            ServerSideRequestForgery => server_side_request_forgery,
            JwtUnverifiedDecode => jwt_unverified_decode,
            JwtSymmetricAlgorithm => jwt_symmetric_algorithm,
            JwtNoExpiry => jwt_no_expiry,
            StackTraceExposure => stack_trace_exposure,
            SensitiveDataLogged => sensitive_data_logged,
            VulnerableDependency => vulnerable_dependency,
            MissingHardeningDependency => missing_hardening_dependency,
            MissingAuthorization => missing_authorization,
        }
    };
}
pub(crate) use for_each_rule;

for_each_rule!(registry);

impl Rule {
    /// The registry entry.
    pub fn info(self) -> &'static RuleInfo {
        // The table is in enum order: the discriminant is the index.
        &RULES[self as usize]
    }

    /// The stable code, e.g. `FH101`.
    pub fn code(self) -> &'static str {
        self.info().code
    }

    /// The stable name, e.g. `debug-mode-enabled`.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Default severity.
    pub fn severity(self) -> Severity {
        self.info().severity
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

    /// Every rule.
    pub fn all() -> impl Iterator<Item = Rule> {
        RULES.iter().map(|r| r.rule)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A selector is an exact code or a code prefix (`FH1`, `FH10`), or `ALL`.
/// Returns the rules it names; an empty result means the selector is unknown.
pub fn select(selector: &str) -> Vec<Rule> {
    let selector = selector.trim();
    if selector.eq_ignore_ascii_case("ALL") {
        return Rule::all().collect();
    }
    let upper = selector.to_ascii_uppercase();
    if upper.len() < 2 || !upper.starts_with("FH") {
        return Vec::new();
    }
    RULES
        .iter()
        .filter(|r| r.code.starts_with(&upper))
        .map(|r| r.rule)
        .collect()
}

/// A set of rules, as a bitset over [`Rule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RuleSet(u64);

impl RuleSet {
    /// Every rule.
    pub fn all() -> Self {
        Rule::all().collect()
    }

    /// No rule.
    pub fn empty() -> Self {
        Self(0)
    }

    /// Whether `rule` is in the set.
    pub fn contains(self, rule: Rule) -> bool {
        self.0 & (1 << rule as u64) != 0
    }

    /// Adds a rule.
    pub fn insert(&mut self, rule: Rule) {
        self.0 |= 1 << rule as u64;
    }

    /// Removes a rule.
    pub fn remove(&mut self, rule: Rule) {
        self.0 &= !(1 << rule as u64);
    }

    /// The rules in the set, in code order.
    pub fn iter(self) -> impl Iterator<Item = Rule> {
        Rule::all().filter(move |r| self.contains(*r))
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl FromIterator<Rule> for RuleSet {
    fn from_iter<I: IntoIterator<Item = Rule>>(iter: I) -> Self {
        let mut set = Self::empty();
        for rule in iter {
            set.insert(rule);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_enum_order_and_codes_are_unique() {
        for (i, info) in RULES.iter().enumerate() {
            assert_eq!(info.rule as usize, i, "{}", info.code);
            assert_eq!(info.rule.info().code, info.code);
        }
        let mut codes: Vec<_> = RULES.iter().map(|r| r.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len());
        assert!(RULES.len() < 64, "RuleSet is a u64 bitset");
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

    #[test]
    fn selectors_take_prefixes() {
        assert_eq!(select("FH1").len(), 12);
        assert_eq!(select("fh101"), vec![Rule::DebugModeEnabled]);
        assert!(select("FH9").is_empty());
        assert!(select("E501").is_empty());
        assert_eq!(select("ALL").len(), RULES.len());
    }
}
