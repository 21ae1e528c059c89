//! cookies: every cookie the client keeps must be Secure; session and login
//! cookies must also be HttpOnly, anti-CSRF cookies need SameSite, and an
//! invalid SameSite (or SameSite=None without Secure) is penalised. A valid
//! HSTS policy softens a missing Secure flag. The worst problem decides.

use super::{Observation, Outcome, TestId, TestResult, strict_transport_security};
use crate::scan::cookie;

/// Problems from least to most severe.
const ORDER: [Outcome; 7] = [
    Outcome::CookiesWithoutSecureFlagButProtectedByHsts,
    Outcome::CookiesWithoutSecureFlag,
    Outcome::CookiesSessionWithoutSecureFlagButProtectedByHsts,
    Outcome::CookiesSamesiteFlagInvalid,
    Outcome::CookiesAnticsrfWithoutSamesiteFlag,
    Outcome::CookiesSessionWithoutHttponlyFlag,
    Outcome::CookiesSessionWithoutSecureFlag,
];

fn rank(outcome: Outcome) -> usize {
    ORDER.iter().position(|o| *o == outcome).unwrap_or(0)
}

/// Keeps the worse of a current problem and a new one (with its cookie's name).
fn worsen(current: &mut Option<(Outcome, String)>, new: Outcome, name: &str) {
    if current
        .as_ref()
        .is_none_or(|(old, _)| rank(new) > rank(*old))
    {
        *current = Some((new, name.to_string()));
    }
}

pub fn run(obs: &Observation) -> TestResult {
    let id = TestId::Cookies;
    let hsts = strict_transport_security::run(obs).pass;
    let mut problem: Option<(Outcome, String)> = None;

    for raw in &obs.set_cookies {
        if let Some(c) = cookie::parse(raw, obs.current_year)
            && c.has_invalid_same_site()
        {
            worsen(&mut problem, Outcome::CookiesSamesiteFlagInvalid, &c.name);
        }
    }

    let jar = cookie::jar(obs.set_cookies.iter().map(String::as_str), obs.current_year);
    if jar.is_empty() {
        return TestResult::new(id, Outcome::CookiesNotFound, true);
    }
    let mut missing_same_site = false;
    for c in &jar {
        let name = c.name.as_str();
        if !c.secure && c.same_site.as_deref() == Some("none") {
            worsen(&mut problem, Outcome::CookiesSamesiteFlagInvalid, name);
        }
        if !c.secure {
            let outcome = if hsts {
                Outcome::CookiesWithoutSecureFlagButProtectedByHsts
            } else {
                Outcome::CookiesWithoutSecureFlag
            };
            worsen(&mut problem, outcome, name);
        }
        if c.is_anti_csrf() && !c.has_valid_same_site() {
            worsen(
                &mut problem,
                Outcome::CookiesAnticsrfWithoutSamesiteFlag,
                name,
            );
        }
        if c.is_session() && !c.secure {
            let outcome = if hsts {
                Outcome::CookiesSessionWithoutSecureFlagButProtectedByHsts
            } else {
                Outcome::CookiesSessionWithoutSecureFlag
            };
            worsen(&mut problem, outcome, name);
        }
        if c.is_session() && !c.http_only {
            worsen(
                &mut problem,
                Outcome::CookiesSessionWithoutHttponlyFlag,
                name,
            );
        }
        missing_same_site |= !c.has_valid_same_site();
    }
    let names: Vec<&str> = jar.iter().map(|c| c.name.as_str()).collect();
    match problem {
        Some((outcome, name)) => {
            TestResult::new(id, outcome, false).with_detail(format!("cookie {name}"))
        }
        None if missing_same_site => {
            TestResult::new(id, Outcome::CookiesSecureWithHttponlySessions, true)
                .with_detail(names.join(", "))
        }
        None => TestResult::new(
            id,
            Outcome::CookiesSecureWithHttponlySessionsAndSamesite,
            true,
        )
        .with_detail(names.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::observe;
    use super::*;

    const HSTS: (&str, &str) = ("Strict-Transport-Security", "max-age=63072000");

    fn grade(url: &str, headers: &[(&str, &str)]) -> TestResult {
        run(&observe(url, headers))
    }

    #[test]
    fn no_cookies() {
        let r = grade("https://e.com/", &[]);
        assert_eq!((r.outcome, r.pass), (Outcome::CookiesNotFound, true));
    }

    #[test]
    fn hardened_session_cookie_earns_bonus() {
        let r = grade(
            "https://e.com/",
            &[(
                "Set-Cookie",
                "session=x; Secure; HttpOnly; SameSite=Lax; Path=/",
            )],
        );
        assert_eq!(
            r.outcome,
            Outcome::CookiesSecureWithHttponlySessionsAndSamesite
        );
        assert!(r.pass);
        assert_eq!(r.outcome.modifier(), 5);
    }

    #[test]
    fn missing_same_site_passes_without_bonus() {
        let r = grade(
            "https://e.com/",
            &[("Set-Cookie", "session=x; Secure; HttpOnly")],
        );
        assert_eq!(
            (r.outcome, r.pass),
            (Outcome::CookiesSecureWithHttponlySessions, true)
        );
    }

    #[test]
    fn flask_default_session_cookie_over_http() {
        let r = grade(
            "http://e.com/",
            &[("Set-Cookie", "session=x; HttpOnly; Path=/")],
        );
        assert_eq!(
            (r.outcome, r.pass),
            (Outcome::CookiesSessionWithoutSecureFlag, false)
        );
        assert_eq!(r.detail.as_deref(), Some("cookie session"));
    }

    #[test]
    fn hsts_softens_missing_secure() {
        let r = grade(
            "https://e.com/",
            &[HSTS, ("Set-Cookie", "session=x; HttpOnly; SameSite=Lax")],
        );
        assert_eq!(
            r.outcome,
            Outcome::CookiesSessionWithoutSecureFlagButProtectedByHsts
        );
        let r = grade(
            "https://e.com/",
            &[HSTS, ("Set-Cookie", "theme=x; SameSite=Lax")],
        );
        assert_eq!(
            r.outcome,
            Outcome::CookiesWithoutSecureFlagButProtectedByHsts
        );
        let r = grade("https://e.com/", &[("Set-Cookie", "theme=x; SameSite=Lax")]);
        assert_eq!(r.outcome, Outcome::CookiesWithoutSecureFlag);
    }

    #[test]
    fn session_without_httponly() {
        let r = grade(
            "https://e.com/",
            &[("Set-Cookie", "login_token=x; Secure; SameSite=Strict")],
        );
        assert_eq!(r.outcome, Outcome::CookiesSessionWithoutHttponlyFlag);
    }

    #[test]
    fn anti_csrf_without_same_site() {
        let r = grade("https://e.com/", &[("Set-Cookie", "csrf_token=x; Secure")]);
        assert_eq!(r.outcome, Outcome::CookiesAnticsrfWithoutSamesiteFlag);
    }

    #[test]
    fn invalid_same_site_values() {
        let r = grade(
            "https://e.com/",
            &[("Set-Cookie", "theme=x; Secure; SameSite=Maybe")],
        );
        assert_eq!(r.outcome, Outcome::CookiesSamesiteFlagInvalid);
        let r = grade(
            "https://e.com/",
            &[HSTS, ("Set-Cookie", "theme=x; SameSite=None")],
        );
        assert_eq!(r.outcome, Outcome::CookiesSamesiteFlagInvalid);
    }

    #[test]
    fn worst_problem_wins() {
        let r = grade(
            "http://e.com/",
            &[
                ("Set-Cookie", "theme=x"),
                ("Set-Cookie", "session=y; HttpOnly"),
                ("Set-Cookie", "csrf=z; Secure"),
            ],
        );
        assert_eq!(r.outcome, Outcome::CookiesSessionWithoutSecureFlag);
    }

    #[test]
    fn deleted_cookie_is_not_graded() {
        let r = grade(
            "https://e.com/",
            &[(
                "Set-Cookie",
                "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/",
            )],
        );
        assert_eq!(r.outcome, Outcome::CookiesNotFound);
    }
}
