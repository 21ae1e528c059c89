//! werkzeug-debugger: the Werkzeug debugger answers. Its static-resource
//! endpoint (`?__debugger__=yes&cmd=resource&f=style.css`, served on any path
//! while the debugger wraps the app) returns a stylesheet, or its `/console`
//! route renders the interactive console. Either means arbitrary code can be
//! run once the PIN falls.

use super::{Evidence, Finding, FindingId, ProbeSeverity};

pub fn detect(evidence: &Evidence) -> Option<Finding> {
    let resource = evidence.debugger_resource.as_ref().is_some_and(|r| {
        r.status == 200
            && r.headers
                .first("content-type")
                .is_some_and(|ct| ct.trim().to_ascii_lowercase().starts_with("text/css"))
    });
    let console = evidence.console.as_ref().is_some_and(|r| {
        let body = String::from_utf8_lossy(&r.body);
        r.status == 200 && body.contains("Werkzeug") && body.contains("Interactive Console")
    });
    let how = match (resource, console) {
        (true, true) => "its resource endpoint and /console answer",
        (true, false) => "its resource endpoint (?__debugger__=yes&cmd=resource) answers",
        (false, true) => "its /console route answers",
        (false, false) => return None,
    };
    Some(Finding {
        id: FindingId::WerkzeugDebugger,
        severity: ProbeSeverity::High,
        message: format!(
            "the Werkzeug debugger is on: {how}; it runs arbitrary Python for whoever gets past the PIN. Turn debug mode off in production"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::response;
    use super::*;

    #[test]
    fn resource_endpoint_serving_css() {
        let e = Evidence {
            debugger_resource: Some(response(
                200,
                &[("Content-Type", "text/css; charset=utf-8")],
                "body {}",
            )),
            ..Evidence::default()
        };
        let f = detect(&e).unwrap();
        assert_eq!(
            (f.id, f.severity),
            (FindingId::WerkzeugDebugger, ProbeSeverity::High)
        );
        assert!(f.message.contains("resource endpoint"));
    }

    #[test]
    fn console_page() {
        let page = "<title>Console // Werkzeug Debugger</title><h1>Interactive Console</h1>";
        let e = Evidence {
            console: Some(response(200, &[("Content-Type", "text/html")], page)),
            ..Evidence::default()
        };
        assert!(detect(&e).unwrap().message.contains("/console"));
    }

    #[test]
    fn ordinary_app_answers_are_not_the_debugger() {
        let e = Evidence {
            // The app's own index, served for the resource query.
            debugger_resource: Some(response(200, &[("Content-Type", "application/json")], "{}")),
            console: Some(response(404, &[("Content-Type", "text/html")], "Not Found")),
            ..Evidence::default()
        };
        assert_eq!(detect(&e), None);
        // A stylesheet behind an error status is not the debugger either.
        let e = Evidence {
            debugger_resource: Some(response(404, &[("Content-Type", "text/css")], "")),
            ..Evidence::default()
        };
        assert_eq!(detect(&e), None);
    }
}
