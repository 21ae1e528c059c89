//! stack-trace: a Python traceback or exception location in a response body,
//! looked for in the answers to a path that does not exist, to a malformed
//! query string, and to the scanned URL itself.

use std::sync::LazyLock;

use regex::Regex;

use super::{Evidence, Finding, FindingId, ProbeSeverity};

static TRACEBACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"Traceback \(most recent call last\)|File \\?"[^"\n]{1,300}\.py\\?", line \d+, in "#,
    )
    .unwrap()
});

pub fn detect(evidence: &Evidence) -> Option<Finding> {
    let probes = [
        ("a path that does not exist", &evidence.not_found),
        ("a malformed query string", &evidence.malformed_query),
    ];
    let hit = probes
        .iter()
        .filter_map(|(what, r)| r.as_ref().map(|r| (*what, r)))
        .chain(evidence.main.iter().map(|r| ("the scanned URL", r)))
        .find(|(_, r)| TRACEBACK.is_match(&String::from_utf8_lossy(&r.body)))?;
    let (what, response) = hit;
    Some(Finding {
        id: FindingId::StackTrace,
        severity: ProbeSeverity::Medium,
        message: format!(
            "the response to {what} (HTTP {}) contains a Python stack trace; return generic error bodies and log the details",
            response.status
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::response;
    use super::*;

    #[test]
    fn traceback_in_error_page() {
        let body = "<pre>Traceback (most recent call last):\n  File \"/app/app.py\", line 9, in index\nValueError</pre>";
        let e = Evidence {
            malformed_query: Some(response(500, &[], body)),
            ..Evidence::default()
        };
        let f = detect(&e).unwrap();
        assert!(f.message.contains("malformed query") && f.message.contains("500"));
    }

    #[test]
    fn file_line_in_json_error() {
        let body = r#"{"error": "File \"/srv/app/views.py\", line 12, in show"}"#;
        let e = Evidence {
            not_found: Some(response(404, &[], body)),
            ..Evidence::default()
        };
        assert!(detect(&e).is_some());
    }

    #[test]
    fn plain_errors_are_fine() {
        let e = Evidence {
            not_found: Some(response(
                404,
                &[],
                "<h1>Not Found</h1><p>The requested URL was not found.</p>",
            )),
            malformed_query: Some(response(400, &[], r#"{"error": "invalid page"}"#)),
            ..Evidence::default()
        };
        assert_eq!(detect(&e), None);
    }
}
