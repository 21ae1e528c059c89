//! The rule registry: one table mapping every catalogue code (RULES.md) to its
//! name, severity, fix availability, CWE, OWASP category and documentation.
//! Codes and names are stable; add new rules at the end of their hundred.
//!
//! A rule without documentation here is not implemented yet: it is registered
//! (so it can be selected, ignored and suppressed) but produces nothing.

use std::fmt;

use super::rules;

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

/// Everything the registry knows about one rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// The enum value.
    pub rule: Rule,
    /// The stable code, e.g. `FH101`.
    pub code: &'static str,
    /// The stable kebab-case name, e.g. `debug-mode-enabled`.
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// Fix availability.
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
}

macro_rules! registry {
    ($($variant:ident => $code:literal, $name:literal, $sev:ident, $fix:ident, $cwe:literal, $owasp:literal, $otitle:literal, $doc:expr, $summary:literal;)*) => {
        /// A catalogue rule. See [`RULES`] for its metadata.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $(#[doc = $summary] $variant,)*
        }

        /// Every rule, in code order.
        pub static RULES: &[RuleInfo] = &[
            $(RuleInfo {
                rule: Rule::$variant,
                code: $code,
                name: $name,
                severity: Severity::$sev,
                fix: FixAvailability::$fix,
                cwe: $cwe,
                owasp: $owasp,
                owasp_title: $otitle,
                summary: $summary,
                doc: $doc,
            },)*
        ];
    };
}

registry! {
    DebugModeEnabled => "FH101", "debug-mode-enabled", High, Safe, "CWE-489", "A05:2021", "Security Misconfiguration",
        Some(rules::debug_mode_enabled::DOC), "Flask debug mode or the Werkzeug debugger enabled outside development configuration";
    HardcodedSecret => "FH102", "hardcoded-secret", High, Safe, "CWE-798", "A07:2021", "Identification and Authentication Failures",
        Some(rules::hardcoded_secret::DOC), "A secret key, salt or database password written as a literal in the code";
    WeakSecretKey => "FH103", "weak-secret-key", Medium, None, "CWE-330", "A02:2021", "Cryptographic Failures",
        Some(rules::weak_secret_key::DOC), "A secret key built from predictable or too few random bytes";
    BindAllInterfaces => "FH104", "bind-all-interfaces", Medium, Safe, "CWE-1327", "A05:2021", "Security Misconfiguration",
        Some(rules::bind_all_interfaces::DOC), "The development server bound to every network interface";
    InsecureSessionCookie => "FH105", "insecure-session-cookie", Medium, SafeOrUnsafe, "CWE-614", "A05:2021", "Security Misconfiguration",
        Some(rules::insecure_session_cookie::DOC), "Session or remember-me cookies without Secure, HttpOnly or SameSite";
    CsrfProtectionDisabled => "FH106", "csrf-protection-disabled", High, Safe, "CWE-352", "A01:2021", "Broken Access Control",
        Some(rules::csrf_protection_disabled::DOC), "Flask-WTF CSRF protection switched off outside test code";
    DebugToolbarExposed => "FH107", "debug-toolbar-exposed", High, Safe, "CWE-489", "A05:2021", "Security Misconfiguration",
        Some(rules::debug_toolbar_exposed::DOC), "Flask-DebugToolbar enabled without a debug/development guard, or shipped in production dependencies";
    MissingMaxContentLength => "FH108", "missing-max-content-length", Low, Safe, "CWE-770", "A05:2021", "Security Misconfiguration",
        Some(rules::missing_max_content_length::DOC), "A Flask application with no MAX_CONTENT_LENGTH request-size limit";
    JwtCookieCsrfDisabled => "FH109", "jwt-cookie-csrf-disabled", High, Safe, "CWE-352", "A01:2021", "Broken Access Control",
        Some(rules::jwt_cookie_csrf_disabled::DOC), "Flask-JWT-Extended cookie tokens without CSRF protection or the Secure flag";
    SqlEchoEnabled => "FH110", "sql-echo-enabled", Medium, Safe, "CWE-532", "A09:2021", "Security Logging and Monitoring Failures",
        Some(rules::sql_echo_enabled::DOC), "SQLAlchemy echo or query recording on in production configuration";
    SessionProtectionDisabled => "FH111", "session-protection-disabled", Medium, Safe, "CWE-384", "A07:2021", "Identification and Authentication Failures",
        Some(rules::session_protection_disabled::DOC), "Flask-Login session protection switched off";
    AdminViewsUnprotected => "FH112", "admin-views-unprotected", High, None, "CWE-284", "A01:2021", "Broken Access Control",
        Some(rules::admin_views_unprotected::DOC), "Flask-Admin views without an is_accessible check";
    CorsWildcardOrigin => "FH201", "cors-wildcard-origin", High, Safe, "CWE-942", "A05:2021", "Security Misconfiguration",
        Some(rules::cors_wildcard_origin::DOC), "CORS that allows any origin (or reflects the request's Origin)";
    MissingSecurityHeaders => "FH202", "missing-security-headers", Medium, Safe, "CWE-693", "A05:2021", "Security Misconfiguration",
        Some(rules::missing_security_headers::DOC), "A Flask application without flask-talisman or equivalent security headers";
    MissingRateLimiting => "FH203", "missing-rate-limiting", Medium, Safe, "CWE-770", "A04:2021", "Insecure Design",
        Some(rules::missing_rate_limiting::DOC), "A Flask application without a Flask-Limiter rate limiter";
    WeakTalismanConfig => "FH204", "weak-talisman-config", Medium, Sometimes, "CWE-693", "A05:2021", "Security Misconfiguration",
        Some(rules::weak_talisman_config::DOC), "Talisman with its protections switched off or a permissive CSP";
    UnvalidatedRequestBody => "FH301", "unvalidated-request-body", Medium, Unsafe, "CWE-20", "A03:2021", "Injection",
        Some(rules::unvalidated_request_body::DOC), "A route that uses request fields without validating them with a schema";
    SqlInjection => "FH302", "sql-injection", High, SometimesUnsafe, "CWE-89", "A03:2021", "Injection",
        Some(rules::sql_injection::DOC), "SQL built by string formatting from non-literal values";
    TemplateInjection => "FH303", "template-injection", High, None, "CWE-1336", "A03:2021", "Injection",
        Some(rules::template_injection::DOC), "Templates or markup built from non-literal or request data";
    PathTraversal => "FH304", "path-traversal", High, None, "CWE-22", "A01:2021", "Broken Access Control",
        Some(rules::path_traversal::DOC), "File access with a path built from request data";
    CommandInjection => "FH305", "command-injection", High, None, "CWE-78", "A03:2021", "Injection",
        Some(rules::command_injection::DOC), "Shell commands or eval/exec built from non-literal or request data";
    UnsafeDeserialization => "FH306", "unsafe-deserialization", High, Sometimes, "CWE-502", "A08:2021", "Software and Data Integrity Failures",
        Some(rules::unsafe_deserialization::DOC), "pickle, marshal or unsafe YAML loading";
    OpenRedirect => "FH307", "open-redirect", Medium, None, "CWE-601", "A01:2021", "Broken Access Control",
        Some(rules::open_redirect::DOC), "A redirect to a URL taken from request data without a same-site check";
    ServerSideRequestForgery => "FH308", "server-side-request-forgery", High, None, "CWE-918", "A10:2021", "Server-Side Request Forgery",
        Some(rules::server_side_request_forgery::DOC), "An outgoing HTTP request to a URL built from request data";
    JwtUnverifiedDecode => "FH401", "jwt-unverified-decode", High, None, "CWE-347", "A02:2021", "Cryptographic Failures",
        Some(rules::jwt_unverified_decode::DOC), "JWTs decoded without verifying the signature or pinning algorithms";
    JwtSymmetricAlgorithm => "FH402", "jwt-symmetric-algorithm", Low, None, "CWE-327", "A02:2021", "Cryptographic Failures",
        Some(rules::jwt_symmetric_algorithm::DOC), "JWTs signed with a shared-secret HMAC algorithm";
    JwtNoExpiry => "FH403", "jwt-no-expiry", Medium, None, "CWE-613", "A07:2021", "Identification and Authentication Failures",
        Some(rules::jwt_no_expiry::DOC), "JWTs that never expire or live longer than 24 hours";
    StackTraceExposure => "FH501", "stack-trace-exposure", Medium, None, "CWE-209", "A04:2021", "Insecure Design",
        Some(rules::stack_trace_exposure::DOC), "Exception text or tracebacks returned in a response";
    SensitiveDataLogged => "FH502", "sensitive-data-logged", Medium, None, "CWE-532", "A09:2021", "Security Logging and Monitoring Failures",
        Some(rules::sensitive_data_logged::DOC), "A password, token, secret or Authorization header written to the logs";
    VulnerableDependency => "FH601", "vulnerable-dependency", High, Safe, "CWE-1395", "A06:2021", "Vulnerable and Outdated Components",
        Some(rules::vulnerable_dependency::DOC), "A Flask-stack dependency pinned to a version with known CVEs";
    MissingHardeningDependency => "FH602", "missing-hardening-dependency", Low, Safe, "CWE-693", "A05:2021", "Security Misconfiguration",
        Some(rules::missing_hardening_dependency::DOC), "A hardening package missing from the dependencies (produced by `fix`, never by `check`)";
    MissingAuthorization => "FH701", "missing-authorization", High, None, "CWE-862", "A01:2021", "Broken Access Control",
        Some(rules::missing_authorization::DOC), "A state-changing view with no authentication guard in an app that guards others";
}

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
