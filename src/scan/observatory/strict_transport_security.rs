//! strict-transport-security: the HSTS header of the HTTPS response. A
//! max-age of at least six months (15,552,000 s as the Observatory counts)
//! passes; shorter is -10; no HTTPS, no header, an invalid header or an
//! unverified certificate are -20. The +5 outcome needs the host on the HSTS
//! preload list, which is not embedded here: a `preload` directive is only
//! reported.

use super::{Observation, Outcome, TestId, TestResult};
use crate::scan::hsts;

pub fn run(obs: &Observation) -> TestResult {
    let id = TestId::StrictTransportSecurity;
    let Some(response) = obs.https() else {
        return TestResult::new(id, Outcome::HstsNotImplementedNoHttps, false);
    };
    if !obs.verified {
        return TestResult::new(id, Outcome::HstsInvalidCert, false)
            .with_detail("TLS verification was disabled with --insecure");
    }
    let Some(header) = response.headers.combined("strict-transport-security") else {
        return TestResult::new(id, Outcome::HstsNotImplemented, false);
    };
    let header: String = header.chars().take(1024).collect();
    match hsts::parse(&header) {
        Err(err) => {
            TestResult::new(id, Outcome::HstsHeaderInvalid, false).with_detail(err.to_string())
        }
        Ok(parsed) => {
            let mut detail = format!("max-age={}", parsed.max_age);
            if parsed.include_subdomains {
                detail.push_str("; includeSubDomains");
            }
            if parsed.preload {
                detail.push_str("; preload");
            }
            if parsed.max_age < hsts::SIX_MONTHS {
                TestResult::new(id, Outcome::HstsImplementedMaxAgeLessThanSixMonths, false)
                    .with_detail(detail)
            } else {
                TestResult::new(id, Outcome::HstsImplementedMaxAgeAtLeastSixMonths, true)
                    .with_detail(detail)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::observe;
    use super::*;

    fn grade(url: &str, value: Option<&str>) -> (Outcome, bool) {
        let headers: Vec<(&str, &str)> = value
            .map(|v| ("Strict-Transport-Security", v))
            .into_iter()
            .collect();
        let r = run(&observe(url, &headers));
        (r.outcome, r.pass)
    }

    #[test]
    fn long_max_age_passes() {
        assert_eq!(
            grade(
                "https://e.com/",
                Some("max-age=63072000; includeSubDomains")
            ),
            (Outcome::HstsImplementedMaxAgeAtLeastSixMonths, true)
        );
        assert_eq!(
            grade("https://e.com/", Some("max-age=15552000")).0,
            Outcome::HstsImplementedMaxAgeAtLeastSixMonths
        );
    }

    #[test]
    fn preload_directive_alone_is_not_the_preload_list() {
        let r = run(&observe(
            "https://e.com/",
            &[("Strict-Transport-Security", "max-age=63072000; preload")],
        ));
        assert_eq!(r.outcome, Outcome::HstsImplementedMaxAgeAtLeastSixMonths);
        assert!(r.reason().contains("preload"));
    }

    #[test]
    fn short_max_age() {
        assert_eq!(
            grade("https://e.com/", Some("max-age=15551999")),
            (Outcome::HstsImplementedMaxAgeLessThanSixMonths, false)
        );
        assert_eq!(
            grade("https://e.com/", Some("max-age=0")).0,
            Outcome::HstsImplementedMaxAgeLessThanSixMonths
        );
    }

    #[test]
    fn missing_invalid_and_no_https() {
        assert_eq!(
            grade("https://e.com/", None),
            (Outcome::HstsNotImplemented, false)
        );
        assert_eq!(
            grade("https://e.com/", Some("includeSubDomains")).0,
            Outcome::HstsHeaderInvalid
        );
        assert_eq!(
            grade("https://e.com/", Some("max-age=1, max-age=2")).0,
            Outcome::HstsHeaderInvalid
        );
        assert_eq!(
            grade("http://e.com/", Some("max-age=63072000")).0,
            Outcome::HstsNotImplementedNoHttps
        );
    }

    #[test]
    fn unverified_certificate() {
        let mut obs = observe(
            "https://e.com/",
            &[("Strict-Transport-Security", "max-age=63072000")],
        );
        obs.verified = false;
        let r = run(&obs);
        assert_eq!(r.outcome, Outcome::HstsInvalidCert);
        assert!(r.reason().contains("--insecure"));
    }
}
