//! trace-enabled: the server says it accepts TRACE. The scanner never sends
//! TRACE itself (it sends only GET, HEAD and OPTIONS): it reads the `Allow`
//! header of a plain OPTIONS request (and `Access-Control-Allow-Methods` of
//! the preflight), which list the methods the resource accepts.

use super::{Evidence, Finding, FindingId, ProbeSeverity};
use crate::scan::observatory::Response;

fn lists_trace(response: &Option<Response>, header: &str) -> bool {
    response.as_ref().is_some_and(|r| {
        r.headers
            .all(header)
            .flat_map(|v| v.split(','))
            .any(|m| m.trim().eq_ignore_ascii_case("trace"))
    })
}

pub fn detect(evidence: &Evidence) -> Option<Finding> {
    let header = if lists_trace(&evidence.options, "allow") {
        "Allow"
    } else if lists_trace(&evidence.preflight, "access-control-allow-methods") {
        "Access-Control-Allow-Methods"
    } else {
        return None;
    };
    Some(Finding {
        id: FindingId::TraceEnabled,
        severity: ProbeSeverity::Low,
        message: format!(
            "the {header} header of an OPTIONS answer lists TRACE; disable TRACE in the proxy or server and do not route it to the app"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::response;
    use super::*;

    #[test]
    fn allow_header_lists_trace() {
        let e = Evidence {
            options: Some(response(200, &[("Allow", "GET, HEAD, OPTIONS, trace")], "")),
            ..Evidence::default()
        };
        assert!(detect(&e).unwrap().message.contains("Allow header"));
        let e = Evidence {
            preflight: Some(response(
                200,
                &[("Access-Control-Allow-Methods", "GET,TRACE")],
                "",
            )),
            ..Evidence::default()
        };
        assert!(
            detect(&e)
                .unwrap()
                .message
                .contains("Access-Control-Allow-Methods")
        );
    }

    #[test]
    fn flask_default_methods() {
        let e = Evidence {
            options: Some(response(200, &[("Allow", "HEAD, GET, OPTIONS")], "")),
            ..Evidence::default()
        };
        assert_eq!(detect(&e), None);
        let e = Evidence {
            options: Some(response(200, &[("Allow", "GET, TRACEROUTE")], "")),
            ..Evidence::default()
        };
        assert_eq!(detect(&e), None);
    }
}
