//! The rule codes: the list of every catalogue rule (RULES.md), one line per
//! rule, and the types built from it that the rest of the analysis names
//! rules with: [`Rule`], [`RuleSet`], [`Severity`] and the code selectors
//! ([`select`]). This module depends on no rule file, so settings,
//! suppressions and diagnostics can name rules without depending on the
//! rules; what each rule says about itself (name, fix availability, CWE,
//! documentation, hooks) is in its file's `RULE` declaration, collected by
//! [`registry`](super::registry).
//!
//! Codes and names are stable; add new rules at the end of their hundred.

use std::fmt;

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

/// The list of rules, one line per rule: the [`Rule`] variant, the file in
/// `rules/` that declares the rule (`rules/<module>.rs`, `pub const RULE`),
/// the stable code and the default severity (RULES.md's catalogue columns).
/// Calls `$callback!` with the list: `codes!` here makes the enum and its
/// code table, `registry!` the table of declarations, and
/// `rules::declare_modules!` declares the modules.
macro_rules! for_each_rule {
    ($callback:ident) => {
        $callback! {
            DebugModeEnabled => debug_mode_enabled = "FH101" (High),
            HardcodedSecret => hardcoded_secret = "FH102" (High),
            WeakSecretKey => weak_secret_key = "FH103" (Medium),
            BindAllInterfaces => bind_all_interfaces = "FH104" (Medium),
            InsecureSessionCookie => insecure_session_cookie = "FH105" (Medium),
            CsrfProtectionDisabled => csrf_protection_disabled = "FH106" (High),
            DebugToolbarExposed => debug_toolbar_exposed = "FH107" (High),
            MissingMaxContentLength => missing_max_content_length = "FH108" (Low),
            JwtCookieCsrfDisabled => jwt_cookie_csrf_disabled = "FH109" (High),
            SqlEchoEnabled => sql_echo_enabled = "FH110" (Medium),
            SessionProtectionDisabled => session_protection_disabled = "FH111" (Medium),
            AdminViewsUnprotected => admin_views_unprotected = "FH112" (High),
            CorsWildcardOrigin => cors_wildcard_origin = "FH201" (High),
            MissingSecurityHeaders => missing_security_headers = "FH202" (Medium),
            MissingRateLimiting => missing_rate_limiting = "FH203" (Medium),
            WeakTalismanConfig => weak_talisman_config = "FH204" (Medium),
            UnvalidatedRequestBody => unvalidated_request_body = "FH301" (Medium),
            SqlInjection => sql_injection = "FH302" (High),
            TemplateInjection => template_injection = "FH303" (High),
            PathTraversal => path_traversal = "FH304" (High),
            CommandInjection => command_injection = "FH305" (High),
            UnsafeDeserialization => unsafe_deserialization = "FH306" (High),
            OpenRedirect => open_redirect = "FH307" (Medium),
            ServerSideRequestForgery => server_side_request_forgery = "FH308" (High),
            JwtUnverifiedDecode => jwt_unverified_decode = "FH401" (High),
            JwtSymmetricAlgorithm => jwt_symmetric_algorithm = "FH402" (Low),
            JwtNoExpiry => jwt_no_expiry = "FH403" (Medium),
            StackTraceExposure => stack_trace_exposure = "FH501" (Medium),
            SensitiveDataLogged => sensitive_data_logged = "FH502" (Medium),
            VulnerableDependency => vulnerable_dependency = "FH601" (High),
            MissingHardeningDependency => missing_hardening_dependency = "FH602" (Low),
            MissingAuthorization => missing_authorization = "FH701" (High),
        }
    };
}
pub(crate) use for_each_rule;

macro_rules! codes {
    ($($variant:ident => $module:ident = $code:literal ($severity:ident),)*) => {
        /// A catalogue rule. Its code and default severity are here; the rest
        /// of its metadata is in its declaration ([`Rule::info`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $(#[doc = concat!("`", $code, "`, declared in `rules/", stringify!($module), ".rs`.")] $variant,)*
        }

        /// Every rule with its code and default severity, in list order.
        const CODES: &[(Rule, &str, Severity)] = &[
            $((Rule::$variant, $code, Severity::$severity),)*
        ];
    };
}

for_each_rule!(codes);

impl Rule {
    /// The stable code, e.g. `FH101`.
    pub fn code(self) -> &'static str {
        // The table is in enum order: the discriminant is the index.
        CODES[self as usize].1
    }

    /// Default severity.
    pub fn severity(self) -> Severity {
        CODES[self as usize].2
    }

    /// Every rule, in list order.
    pub fn all() -> impl Iterator<Item = Rule> {
        CODES.iter().map(|(rule, _, _)| *rule)
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
    Rule::all()
        .filter(|rule| rule.code().starts_with(&upper))
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
        for (i, (rule, code, _)) in CODES.iter().enumerate() {
            assert_eq!(*rule as usize, i, "{code}");
            assert_eq!(rule.code(), *code);
            assert_eq!(select(code), vec![*rule]);
        }
        let mut codes: Vec<_> = CODES.iter().map(|(_, code, _)| *code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), CODES.len());
        assert!(CODES.len() < 64, "RuleSet is a u64 bitset");
    }

    #[test]
    fn selectors_take_prefixes() {
        assert_eq!(select("FH1").len(), 12);
        assert_eq!(select("fh101"), vec![Rule::DebugModeEnabled]);
        assert!(select("FH9").is_empty());
        assert!(select("E501").is_empty());
        assert_eq!(select("ALL").len(), CODES.len());
    }
}
