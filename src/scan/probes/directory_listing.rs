//! directory-listing: a folder answers with an index of its files.

use super::exposure::{hits, is_html, text};
use super::{Evidence, Finding, FindingId, ProbeSeverity};

const CANDIDATES: &[&str] = &["/static/", "/uploads/"];

fn is_listing(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    lower.contains("<title>index of /")
        || lower.contains("<h1>index of /")
        || lower.contains("directory listing for /")
}

pub fn detect(evidence: &Evidence) -> Option<Finding> {
    let found = hits(evidence, CANDIDATES, |r| is_html(r) && is_listing(&text(r)));
    (!found.is_empty()).then(|| Finding {
        id: FindingId::DirectoryListing,
        severity: ProbeSeverity::Medium,
        message: format!(
            "{} answered with a directory listing: every file in the folder can be found and downloaded. Turn off autoindex in the server or proxy",
            found.join(", ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::response_at;
    use super::*;

    #[test]
    fn listing_pages() {
        let e = Evidence {
            exposure: vec![response_at(
                "/uploads/",
                200,
                &[("Content-Type", "text/html")],
                "<html><head><title>Index of /uploads/</title></head></html>",
            )],
            ..Evidence::default()
        };
        assert!(detect(&e).is_some());
        let e = Evidence {
            exposure: vec![response_at(
                "/static/",
                200,
                &[("Content-Type", "text/html")],
                "<html>Welcome</html>",
            )],
            ..Evidence::default()
        };
        assert_eq!(detect(&e), None);
    }
}
