//! admin-without-authentication: a Flask-Admin `/admin/` answers an anonymous
//! request with its pages (no redirect to a login, no 401/403).

use super::exposure::{answer, is_html, text};
use super::{Evidence, Finding, FindingId, ProbeSeverity};

/// Flask-Admin pages load their assets from `/admin/static/`.
fn is_flask_admin(body: &str) -> bool {
    body.contains("/admin/static/")
}

pub fn detect(evidence: &Evidence) -> Option<Finding> {
    answer(evidence, "/admin/")
        .is_some_and(|r| is_html(r) && is_flask_admin(&text(r)))
        .then(|| Finding {
            id: FindingId::AdminWithoutAuthentication,
            severity: ProbeSeverity::High,
            message: "/admin/ answered an anonymous request with the Flask-Admin interface: anyone can browse and edit the models it exposes. Give every admin view (and the index) an is_accessible that requires an administrator".to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::response_at;
    use super::*;

    #[test]
    fn admin_pages() {
        let page = r#"<html><link href="/admin/static/bootstrap/bootstrap4/css/bootstrap.min.css"></html>"#;
        let e = Evidence {
            exposure: vec![response_at(
                "/admin/",
                200,
                &[("Content-Type", "text/html")],
                page,
            )],
            ..Evidence::default()
        };
        assert!(detect(&e).is_some());
        let e = Evidence {
            exposure: vec![response_at("/admin/", 302, &[("Location", "/login")], "")],
            ..Evidence::default()
        };
        assert_eq!(detect(&e), None);
    }
}
