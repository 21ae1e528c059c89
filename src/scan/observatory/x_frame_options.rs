//! x-frame-options: `DENY`/`SAMEORIGIN` earn +5, `ALLOW-FROM` is neutral,
//! anything else or nothing is -20 — unless a valid enforced CSP names
//! `frame-ancestors`, which replaces the header (+5).

use super::{Observation, Outcome, TestId, TestResult};
use crate::scan::csp;

pub fn run(obs: &Observation) -> TestResult {
    let id = TestId::XFrameOptions;
    let headers = &obs.auto.headers;
    let policies = csp::split_policies(headers.all("content-security-policy"));
    let via_csp = !policies.is_empty()
        && csp::parse(&policies).is_ok_and(|parsed| parsed.get("frame-ancestors").is_some());
    if via_csp {
        return TestResult::new(id, Outcome::XFrameOptionsImplementedViaCsp, true);
    }
    let Some(value) = headers.combined("x-frame-options") else {
        return TestResult::new(id, Outcome::XFrameOptionsNotImplemented, false);
    };
    let lower = value.trim().to_ascii_lowercase();
    let (outcome, pass) = if lower == "deny" || lower == "sameorigin" {
        (Outcome::XFrameOptionsSameoriginOrDeny, true)
    } else if lower.starts_with("allow-from") {
        (Outcome::XFrameOptionsAllowFromOrigin, true)
    } else {
        (Outcome::XFrameOptionsHeaderInvalid, false)
    };
    TestResult::new(id, outcome, pass).with_detail(value.chars().take(64).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::grade_headers;
    use super::*;

    fn grade(headers: &[(&str, &str)]) -> (Outcome, bool) {
        grade_headers(run, headers)
    }

    #[test]
    fn header_values() {
        assert_eq!(
            grade(&[("X-Frame-Options", "DENY")]),
            (Outcome::XFrameOptionsSameoriginOrDeny, true)
        );
        assert_eq!(
            grade(&[("X-Frame-Options", "sameorigin")]).0,
            Outcome::XFrameOptionsSameoriginOrDeny
        );
        assert_eq!(
            grade(&[("X-Frame-Options", "ALLOW-FROM https://a.com")]),
            (Outcome::XFrameOptionsAllowFromOrigin, true)
        );
        assert_eq!(
            grade(&[("X-Frame-Options", "allowall")]),
            (Outcome::XFrameOptionsHeaderInvalid, false)
        );
        assert_eq!(grade(&[]), (Outcome::XFrameOptionsNotImplemented, false));
        let twice = [("X-Frame-Options", "DENY"), ("X-Frame-Options", "DENY")];
        assert_eq!(grade(&twice), (Outcome::XFrameOptionsHeaderInvalid, false));
    }

    #[test]
    fn csp_frame_ancestors_replaces_the_header() {
        let r = grade(&[
            (
                "Content-Security-Policy",
                "default-src 'none'; frame-ancestors 'none'",
            ),
            ("X-Frame-Options", "bogus"),
        ]);
        assert_eq!(r, (Outcome::XFrameOptionsImplementedViaCsp, true));
        // Without frame-ancestors the CSP does not help.
        assert_eq!(
            grade(&[("Content-Security-Policy", "default-src 'none'")]).0,
            Outcome::XFrameOptionsNotImplemented
        );
        // An invalid CSP does not count, and Report-Only does not either.
        assert_eq!(
            grade(&[(
                "Content-Security-Policy",
                "frame-ancestors 'none'; frame-ancestors 'self'"
            )])
            .0,
            Outcome::XFrameOptionsNotImplemented
        );
        assert_eq!(
            grade(&[(
                "Content-Security-Policy-Report-Only",
                "frame-ancestors 'none'"
            )])
            .0,
            Outcome::XFrameOptionsNotImplemented
        );
    }
}
