//! cors-reflects-origin: the app echoes a foreign `Origin` back in
//! `Access-Control-Allow-Origin`, on a simple GET or on an OPTIONS preflight —
//! any site may then read its responses (with the user's cookies when
//! credentials are allowed too).

use super::{Evidence, FOREIGN_ORIGIN, Finding, FindingId, ProbeSeverity};
use crate::scan::observatory::Response;

fn reflects(response: &Option<Response>) -> Option<bool> {
    let r = response.as_ref()?;
    let allowed = r.headers.first("access-control-allow-origin")?;
    (allowed.trim() == FOREIGN_ORIGIN).then(|| {
        r.headers
            .first("access-control-allow-credentials")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    })
}

pub fn detect(evidence: &Evidence) -> Option<Finding> {
    let get = reflects(&evidence.cors_get);
    let preflight = reflects(&evidence.preflight);
    let on = match (get.is_some(), preflight.is_some()) {
        (true, true) => "a GET and a preflight",
        (true, false) => "a GET",
        (false, true) => "a preflight",
        (false, false) => return None,
    };
    let credentials = get.unwrap_or(false) || preflight.unwrap_or(false);
    let with = if credentials {
        " with credentials allowed"
    } else {
        ""
    };
    Some(Finding {
        id: FindingId::CorsReflectsOrigin,
        severity: if credentials {
            ProbeSeverity::High
        } else {
            ProbeSeverity::Medium
        },
        message: format!(
            "CORS reflects any Origin: {FOREIGN_ORIGIN} was allowed on {on}{with}; allow a fixed list of origins instead"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::response;
    use super::*;

    #[test]
    fn reflection_with_credentials_on_both() {
        let r = response(
            200,
            &[
                ("Access-Control-Allow-Origin", FOREIGN_ORIGIN),
                ("Access-Control-Allow-Credentials", "true"),
            ],
            "",
        );
        let e = Evidence {
            cors_get: Some(r.clone()),
            preflight: Some(r),
            ..Evidence::default()
        };
        let f = detect(&e).unwrap();
        assert_eq!(f.severity, ProbeSeverity::High);
        assert!(f.message.contains("a GET and a preflight with credentials"));
    }

    #[test]
    fn reflection_on_preflight_only_without_credentials() {
        let e = Evidence {
            preflight: Some(response(
                200,
                &[("Access-Control-Allow-Origin", FOREIGN_ORIGIN)],
                "",
            )),
            ..Evidence::default()
        };
        let f = detect(&e).unwrap();
        assert_eq!(f.severity, ProbeSeverity::Medium);
        assert!(f.message.contains("on a preflight;"));
    }

    #[test]
    fn wildcard_or_fixed_origin_is_not_reflection() {
        for allowed in ["*", "https://app.example.com"] {
            let e = Evidence {
                cors_get: Some(response(
                    200,
                    &[("Access-Control-Allow-Origin", allowed)],
                    "",
                )),
                ..Evidence::default()
            };
            assert_eq!(detect(&e), None, "{allowed}");
        }
    }
}
