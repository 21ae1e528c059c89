//! redirection: where the plain-HTTP entry point leads. It must redirect, end
//! on HTTPS, go to HTTPS on its first hop, and stay on the same host for that
//! hop. No plain-HTTP endpoint at all passes. The HSTS preload list is not
//! consulted (private and local apps are never on it).

use super::{Observation, Outcome, TestId, TestResult};

pub fn run(obs: &Observation) -> TestResult {
    let id = TestId::Redirection;
    let Some(route) = &obs.http_route else {
        return TestResult::new(id, Outcome::RedirectionNotNeededNoHttp, true);
    };
    let hops = &route.hops;
    let path = hops
        .iter()
        .map(|u| u.as_str())
        .collect::<Vec<_>>()
        .join(" -> ");
    let (outcome, pass) = if !route.verified {
        (Outcome::RedirectionInvalidCert, false)
    } else if hops.len() <= 1 {
        (Outcome::RedirectionMissing, false)
    } else if hops.last().is_some_and(|u| u.scheme() != "https") {
        (Outcome::RedirectionNotToHttps, false)
    } else if hops[1].scheme() == "http" {
        (Outcome::RedirectionNotToHttpsOnInitialRedirection, false)
    } else if hops[0].scheme() == "http"
        && hops[1].scheme() == "https"
        && hops[0].host_str() != hops[1].host_str()
    {
        (Outcome::RedirectionOffHostFromHttp, false)
    } else {
        (Outcome::RedirectionToHttps, true)
    };
    TestResult::new(id, outcome, pass).with_detail(path)
}

#[cfg(test)]
mod tests {
    use super::super::HttpRoute;
    use super::super::test_support::observe;
    use super::*;
    use url::Url;

    fn grade(hops: &[&str], verified: bool) -> TestResult {
        let mut obs = observe("https://e.com/", &[]);
        obs.http_route = Some(HttpRoute {
            hops: hops.iter().map(|h| Url::parse(h).unwrap()).collect(),
            verified,
        });
        run(&obs)
    }

    #[test]
    fn no_http_endpoint_passes() {
        let r = run(&observe("https://e.com/", &[]));
        assert_eq!(
            (r.outcome, r.pass),
            (Outcome::RedirectionNotNeededNoHttp, true)
        );
    }

    #[test]
    fn same_host_https_redirect_passes() {
        let r = grade(&["http://e.com/", "https://e.com/"], true);
        assert_eq!((r.outcome, r.pass), (Outcome::RedirectionToHttps, true));
        assert_eq!(r.detail.as_deref(), Some("http://e.com/ -> https://e.com/"));
    }

    #[test]
    fn failing_routes() {
        assert_eq!(
            grade(&["http://e.com/"], true).outcome,
            Outcome::RedirectionMissing
        );
        assert_eq!(
            grade(&["http://e.com/", "http://e.com/home"], true).outcome,
            Outcome::RedirectionNotToHttps
        );
        assert_eq!(
            grade(
                &["http://e.com/", "http://www.e.com/", "https://www.e.com/"],
                true
            )
            .outcome,
            Outcome::RedirectionNotToHttpsOnInitialRedirection
        );
        let r = grade(&["http://e.com/", "https://www.e.com/"], true);
        assert_eq!(
            (r.outcome, r.outcome.modifier()),
            (Outcome::RedirectionOffHostFromHttp, -5)
        );
        assert_eq!(
            grade(&["http://e.com/", "https://e.com/"], false).outcome,
            Outcome::RedirectionInvalidCert
        );
    }
}
