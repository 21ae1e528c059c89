//! no-rate-limit: no response carried rate-limit headers (`RateLimit-*`,
//! `X-RateLimit-*`, `Retry-After`) and none was a 429, including the extra
//! GETs sent with `--probe-rate-limit N`.

use super::{Evidence, Finding, FindingId, ProbeSeverity};

pub fn detect(evidence: &Evidence) -> Option<Finding> {
    let limited = evidence.all().any(|r| {
        r.status == 429
            || r.headers.has_name_prefix("ratelimit")
            || r.headers.has_name_prefix("x-ratelimit")
            || r.headers.first("retry-after").is_some()
    });
    if limited {
        return None;
    }
    let probed = evidence.rate_limit_probe.len();
    let how = if probed == 0 {
        "no rate-limit headers seen (add --probe-rate-limit N to also look for a 429)".to_string()
    } else {
        format!("no rate-limit headers and no 429 after {probed} extra requests")
    };
    Some(Finding {
        id: FindingId::NoRateLimit,
        severity: ProbeSeverity::Medium,
        message: format!("{how}; limit requests per client (Flask-Limiter)"),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::response;
    use super::*;

    #[test]
    fn headers_or_429_count_as_limiting() {
        for headers in [
            vec![("X-RateLimit-Limit", "100")],
            vec![("RateLimit-Policy", "100;w=60")],
            vec![("Retry-After", "30")],
        ] {
            let e = Evidence {
                main: vec![response(200, &headers, "")],
                ..Evidence::default()
            };
            assert_eq!(detect(&e), None, "{headers:?}");
        }
        let e = Evidence {
            main: vec![response(200, &[], "")],
            rate_limit_probe: vec![response(200, &[], ""), response(429, &[], "")],
            ..Evidence::default()
        };
        assert_eq!(detect(&e), None);
    }

    #[test]
    fn nothing_seen() {
        let e = Evidence {
            main: vec![response(200, &[], "")],
            ..Evidence::default()
        };
        assert!(detect(&e).unwrap().message.contains("--probe-rate-limit"));
        let e = Evidence {
            main: vec![response(200, &[], "")],
            rate_limit_probe: vec![response(200, &[], ""); 3],
            ..Evidence::default()
        };
        assert!(
            detect(&e)
                .unwrap()
                .message
                .contains("after 3 extra requests")
        );
    }
}
