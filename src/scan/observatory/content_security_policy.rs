//! content-security-policy: the enforced policy from the
//! `Content-Security-Policy` header(s), judged the Observatory's way. The first
//! problem found (in a fixed order: scripts/objects, active http: sources,
//! 'unsafe-eval', passive http: sources, styles) decides the outcome; a clean
//! policy earns +5, or +10 with `default-src 'none'`.

use std::collections::BTreeSet;

use super::{Observation, Outcome, TestId, TestResult};
use crate::scan::csp::{self, Csp};

/// Sources that allow (nearly) anything.
const BROAD: [&str; 8] = [
    "ftp:",
    "http:",
    "https:",
    "*",
    "http://*",
    "http://*.*",
    "https://*",
    "https://*.*",
];
/// Sources that allow inline code.
const UNSAFE_INLINE: [&str; 2] = ["'unsafe-inline'", "data:"];
const NONCE_HASH_PREFIXES: [&str; 4] = ["'sha256-", "'sha384-", "'sha512-", "'nonce-"];

pub fn run(obs: &Observation) -> TestResult {
    let id = TestId::ContentSecurityPolicy;
    let headers = &obs.auto.headers;
    let policies = csp::split_policies(headers.all("content-security-policy"));
    let parsed = if policies.is_empty() {
        Ok(Csp::default())
    } else {
        csp::parse(&policies)
    };
    let csp = match parsed {
        Ok(csp) => csp,
        Err(err) => {
            return TestResult::new(id, Outcome::CspHeaderInvalid, false)
                .with_detail(err.to_string());
        }
    };
    if csp.directives.is_empty() {
        let outcome = if headers
            .first("content-security-policy-report-only")
            .is_some()
        {
            Outcome::CspNotImplementedButReportingEnabled
        } else {
            Outcome::CspNotImplemented
        };
        return TestResult::new(id, outcome, false);
    }
    let outcome = analyze(&csp, obs.auto.url.scheme() == "https");
    let pass = matches!(
        outcome,
        Outcome::CspImplementedWithNoUnsafe
            | Outcome::CspImplementedWithNoUnsafeDefaultSrcNone
            | Outcome::CspImplementedWithUnsafeInlineInStyleSrcOnly
            | Outcome::CspImplementedWithInsecureSchemeInPassiveContentOnly
    );
    if pass && !csp.duplicate_warnings.is_empty() {
        return TestResult::new(id, Outcome::CspImplementedButDuplicateDirectives, true);
    }
    TestResult::new(id, outcome, pass)
}

fn is_broad(source: &str) -> bool {
    BROAD.contains(&source)
}

fn is_broad_or_inline(source: &str) -> bool {
    is_broad(source) || UNSAFE_INLINE.contains(&source)
}

fn is_insecure_scheme(source: &str) -> bool {
    source.starts_with("http:") || source.starts_with("ftp:")
}

fn has_nonce_or_hash(sources: &BTreeSet<String>) -> bool {
    sources
        .iter()
        .any(|s| NONCE_HASH_PREFIXES.iter().any(|p| s.starts_with(p)))
}

/// Grades a parsed, non-empty policy served over HTTPS (`https`) or plain HTTP.
fn analyze(csp: &Csp, https: bool) -> Outcome {
    let anything = || BTreeSet::from(["*".to_string()]);
    let mut script = csp
        .effective("script-src")
        .cloned()
        .unwrap_or_else(anything);
    let mut style = csp.effective("style-src").cloned().unwrap_or_else(anything);
    let object = csp
        .effective("object-src")
        .cloned()
        .unwrap_or_else(anything);

    // A nonce or hash makes browsers ignore 'unsafe-inline'.
    for sources in [&mut script, &mut style] {
        if has_nonce_or_hash(sources) {
            sources.remove("'unsafe-inline'");
        }
    }

    let mut outcome: Option<Outcome> = None;
    let mut note = |candidate: Outcome| {
        outcome.get_or_insert(candidate);
    };

    if script.contains("'strict-dynamic'") {
        if has_nonce_or_hash(&script) {
            // 'strict-dynamic' makes browsers ignore host and scheme sources, 'self' and 'unsafe-inline'.
            script.retain(|s| {
                !(BROAD.iter().any(|b| s.starts_with(b)) || s == "'self'" || s == "'unsafe-inline'")
            });
        } else {
            note(Outcome::CspHeaderInvalid);
        }
    }

    let passive_directives = ["img-src", "media-src"];
    let mut active: Vec<&String> = csp
        .directives
        .iter()
        .filter(|(name, _)| {
            !passive_directives.contains(&name.as_str()) && name.as_str() != "script-src"
        })
        .flat_map(|(_, sources)| sources)
        .collect();
    active.extend(script.iter());
    let passive: Vec<&String> = passive_directives
        .iter()
        .filter_map(|d| csp.effective(d))
        .flatten()
        .collect();

    if script.iter().any(|s| is_broad_or_inline(s)) || object.iter().any(|s| is_broad(s)) {
        note(Outcome::CspImplementedWithUnsafeInline);
    }
    if https && active.iter().any(|s| is_insecure_scheme(s)) {
        note(Outcome::CspImplementedWithInsecureScheme);
    }
    if script.contains("'unsafe-eval'") || style.contains("'unsafe-eval'") {
        note(Outcome::CspImplementedWithUnsafeEval);
    }
    if https && passive.iter().any(|s| is_insecure_scheme(s)) {
        note(Outcome::CspImplementedWithInsecureSchemeInPassiveContentOnly);
    }
    if style.iter().any(|s| is_broad_or_inline(s)) {
        note(Outcome::CspImplementedWithUnsafeInlineInStyleSrcOnly);
    }
    let default_none = csp
        .get("default-src")
        .is_some_and(|d| d.len() == 1 && d.contains("'none'"));
    if default_none {
        note(Outcome::CspImplementedWithNoUnsafeDefaultSrcNone);
    } else {
        note(Outcome::CspImplementedWithNoUnsafe);
    }
    outcome.unwrap_or(Outcome::CspImplementedWithNoUnsafe)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::observe;
    use super::*;

    fn grade(url: &str, headers: &[(&str, &str)]) -> (Outcome, bool) {
        let r = run(&observe(url, headers));
        (r.outcome, r.pass)
    }

    fn policy(p: &str) -> (Outcome, bool) {
        grade("https://example.com/", &[("Content-Security-Policy", p)])
    }

    #[test]
    fn strict_api_policy_earns_the_top_bonus() {
        let (o, pass) = policy(
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        );
        assert_eq!(o, Outcome::CspImplementedWithNoUnsafeDefaultSrcNone);
        assert!(pass);
        assert_eq!(o.modifier(), 10);
    }

    #[test]
    fn self_policy_earns_plus_five() {
        assert_eq!(
            policy("default-src 'self'").0,
            Outcome::CspImplementedWithNoUnsafe
        );
        // default-src 'none' plus another source is not "none".
        assert_eq!(
            policy("default-src 'none' 'self'").0,
            Outcome::CspImplementedWithNoUnsafe
        );
    }

    #[test]
    fn missing_header_and_report_only() {
        assert_eq!(
            grade("https://e.com/", &[]),
            (Outcome::CspNotImplemented, false)
        );
        assert_eq!(
            grade(
                "https://e.com/",
                &[("Content-Security-Policy-Report-Only", "default-src 'none'")]
            ),
            (Outcome::CspNotImplementedButReportingEnabled, false)
        );
    }

    #[test]
    fn invalid_headers() {
        assert_eq!(
            policy("script-src 'self'; script-src 'none'"),
            (Outcome::CspHeaderInvalid, false)
        );
        assert_eq!(policy("junk"), (Outcome::CspHeaderInvalid, false));
        // 'strict-dynamic' without a nonce or hash.
        assert_eq!(
            policy("default-src 'self'; script-src 'strict-dynamic'"),
            (Outcome::CspHeaderInvalid, false)
        );
    }

    #[test]
    fn unsafe_inline_and_broad_script_sources() {
        assert_eq!(
            policy("default-src 'self' 'unsafe-inline'").0,
            Outcome::CspImplementedWithUnsafeInline
        );
        assert_eq!(
            policy("default-src 'self'; script-src data:").0,
            Outcome::CspImplementedWithUnsafeInline
        );
        assert_eq!(
            policy("default-src https:").0,
            Outcome::CspImplementedWithUnsafeInline
        );
        assert_eq!(
            policy("default-src *").0,
            Outcome::CspImplementedWithUnsafeInline
        );
        // No script-src and no default-src: everything is allowed.
        assert_eq!(
            policy("frame-ancestors 'none'").0,
            Outcome::CspImplementedWithUnsafeInline
        );
        // A broad object-src alone is enough.
        assert_eq!(
            policy("default-src 'self'; object-src *").0,
            Outcome::CspImplementedWithUnsafeInline
        );
    }

    #[test]
    fn nonce_cancels_unsafe_inline_and_strict_dynamic_drops_hosts() {
        assert_eq!(
            policy("default-src 'self'; script-src 'nonce-abc' 'unsafe-inline'").0,
            Outcome::CspImplementedWithNoUnsafe
        );
        assert_eq!(
            policy(
                "default-src 'none'; script-src 'nonce-abc' 'strict-dynamic' https: 'unsafe-inline'"
            )
            .0,
            Outcome::CspImplementedWithNoUnsafeDefaultSrcNone
        );
    }

    #[test]
    fn unsafe_eval() {
        let (o, pass) = policy("default-src 'self'; script-src 'self' 'unsafe-eval'");
        assert_eq!(o, Outcome::CspImplementedWithUnsafeEval);
        assert!(!pass);
    }

    #[test]
    fn insecure_schemes_only_count_over_https() {
        assert_eq!(
            policy("default-src 'self'; script-src http://cdn.example.com").0,
            Outcome::CspImplementedWithInsecureScheme
        );
        let (o, pass) = policy("default-src 'self'; img-src http://img.example.com");
        assert_eq!(
            o,
            Outcome::CspImplementedWithInsecureSchemeInPassiveContentOnly
        );
        assert!(pass);
        assert_eq!(
            grade(
                "http://example.com/",
                &[(
                    "Content-Security-Policy",
                    "default-src 'self'; script-src http://cdn.example.com"
                )]
            )
            .0,
            Outcome::CspImplementedWithNoUnsafe
        );
    }

    #[test]
    fn unsafe_inline_in_styles_only_passes_without_bonus() {
        let (o, pass) = policy("default-src 'self'; style-src 'self' 'unsafe-inline'");
        assert_eq!(o, Outcome::CspImplementedWithUnsafeInlineInStyleSrcOnly);
        assert!(pass);
        assert_eq!(o.modifier(), 0);
    }

    #[test]
    fn duplicate_report_directives_lose_the_bonus() {
        let (o, pass) = policy("default-src 'none'; report-uri /a; report-uri /b");
        assert_eq!(o, Outcome::CspImplementedButDuplicateDirectives);
        assert!(pass);
    }

    #[test]
    fn policies_across_headers_intersect() {
        let (o, _) = grade(
            "https://e.com/",
            &[
                (
                    "Content-Security-Policy",
                    "default-src 'self' 'unsafe-inline'",
                ),
                ("Content-Security-Policy", "default-src 'self'"),
            ],
        );
        assert_eq!(o, Outcome::CspImplementedWithNoUnsafe);
    }
}
