//! debug-toolbar: Flask-DebugToolbar's static files are served, so the
//! toolbar (configuration, SQL, templates, request data of every page) is on.

use super::exposure::{answer, text};
use super::{Evidence, Finding, FindingId, ProbeSeverity};

const PATH: &str = "/_debug_toolbar/static/css/toolbar.css";

pub fn detect(evidence: &Evidence) -> Option<Finding> {
    // The toolbar's own stylesheet styles its `#flDebug` panel.
    answer(evidence, PATH)
        .is_some_and(|r| text(r).contains("flDebug"))
        .then(|| Finding {
            id: FindingId::DebugToolbar,
            severity: ProbeSeverity::High,
            message: format!(
                "{PATH} is served: Flask-DebugToolbar is installed and on, showing configuration, SQL and request data. Enable it only in development"
            ),
        })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::response_at;
    use super::*;

    #[test]
    fn toolbar_stylesheet() {
        let e = Evidence {
            exposure: vec![response_at(
                PATH,
                200,
                &[("Content-Type", "text/css")],
                "#flDebug { display: none; }",
            )],
            ..Evidence::default()
        };
        assert!(detect(&e).is_some());
        let e = Evidence {
            exposure: vec![response_at(PATH, 200, &[], "body {}")],
            ..Evidence::default()
        };
        assert_eq!(detect(&e), None);
    }
}
