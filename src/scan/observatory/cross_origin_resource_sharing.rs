//! cross-origin-resource-sharing: the answer to a GET carrying a foreign
//! `Origin`. `*` is public access (fine: browsers never send credentials to
//! it); echoing the foreign origin back with `Access-Control-Allow-Credentials:
//! true` is universal access (-50); any other value is restricted access.

use super::{Observation, Outcome, TestId, TestResult};

pub fn run(obs: &Observation) -> TestResult {
    let id = TestId::CrossOriginResourceSharing;
    let Some(probe) = &obs.cors else {
        return TestResult::new(id, Outcome::CrossOriginResourceSharingNotImplemented, true);
    };
    let Some(allow_origin) = probe.headers.combined("access-control-allow-origin") else {
        return TestResult::new(id, Outcome::CrossOriginResourceSharingNotImplemented, true);
    };
    let allow_origin: String = allow_origin.chars().take(256).collect();
    let credentials = probe
        .headers
        .combined("access-control-allow-credentials")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let detail = format!("Access-Control-Allow-Origin: {}", allow_origin.trim());
    if allow_origin.trim() == "*" {
        TestResult::new(
            id,
            Outcome::CrossOriginResourceSharingImplementedWithPublicAccess,
            true,
        )
        .with_detail(detail)
    } else if allow_origin == probe.origin && credentials {
        TestResult::new(
            id,
            Outcome::CrossOriginResourceSharingImplementedWithUniversalAccess,
            false,
        )
        .with_detail(detail)
    } else {
        TestResult::new(
            id,
            Outcome::CrossOriginResourceSharingImplementedWithRestrictedAccess,
            true,
        )
        .with_detail(detail)
    }
}

#[cfg(test)]
mod tests {
    use super::super::CorsProbe;
    use super::super::test_support::observe;
    use super::*;
    use crate::scan::headers::Headers;

    const ORIGIN: &str = "https://foreign.example";

    fn grade(headers: &[(&str, &str)]) -> TestResult {
        let mut obs = observe("https://e.com/", &[]);
        obs.cors = Some(CorsProbe {
            origin: ORIGIN.into(),
            headers: Headers::new(headers.iter().copied()),
        });
        run(&obs)
    }

    #[test]
    fn no_cors_headers() {
        assert_eq!(
            grade(&[]).outcome,
            Outcome::CrossOriginResourceSharingNotImplemented
        );
        assert_eq!(
            run(&observe("https://e.com/", &[])).outcome,
            Outcome::CrossOriginResourceSharingNotImplemented
        );
    }

    #[test]
    fn wildcard_is_public_access() {
        let r = grade(&[
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Allow-Credentials", "true"),
        ]);
        assert_eq!(
            (r.outcome, r.pass),
            (
                Outcome::CrossOriginResourceSharingImplementedWithPublicAccess,
                true
            )
        );
    }

    #[test]
    fn reflected_origin_with_credentials_is_universal_access() {
        let r = grade(&[
            ("Access-Control-Allow-Origin", ORIGIN),
            ("Access-Control-Allow-Credentials", "True "),
        ]);
        assert_eq!(
            (r.outcome, r.pass),
            (
                Outcome::CrossOriginResourceSharingImplementedWithUniversalAccess,
                false
            )
        );
        assert_eq!(r.outcome.modifier(), -50);
        assert_eq!(r.fix_rule(), Some("FH201"));
    }

    #[test]
    fn reflected_origin_without_credentials_or_other_origin_is_restricted() {
        let r = grade(&[("Access-Control-Allow-Origin", ORIGIN)]);
        assert_eq!(
            r.outcome,
            Outcome::CrossOriginResourceSharingImplementedWithRestrictedAccess
        );
        let r = grade(&[
            ("Access-Control-Allow-Origin", "https://app.e.com"),
            ("Access-Control-Allow-Credentials", "true"),
        ]);
        assert_eq!(
            (r.outcome, r.pass),
            (
                Outcome::CrossOriginResourceSharingImplementedWithRestrictedAccess,
                true
            )
        );
    }
}
