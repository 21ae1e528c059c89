//! development-server: a response names the Werkzeug development server
//! (`Server: Werkzeug/x.y`), which is not built for production traffic: serve
//! the app with gunicorn (or another WSGI server) instead of `app.run()` /
//! `flask run`.

use super::{Evidence, Finding, FindingId, ProbeSeverity};

pub fn detect(evidence: &Evidence) -> Option<Finding> {
    let server = evidence
        .all()
        .filter_map(|r| r.headers.first("server"))
        .find(|s| s.trim().to_ascii_lowercase().starts_with("werkzeug/"))?;
    Some(Finding {
        id: FindingId::DevelopmentServer,
        severity: ProbeSeverity::Medium,
        message: format!(
            "served by the Werkzeug development server (Server: {}); use gunicorn in production and keep app.run() bound to 127.0.0.1",
            server.trim()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::response;
    use super::*;

    #[test]
    fn werkzeug_server_header() {
        let e = Evidence {
            main: vec![response(
                200,
                &[("Server", "Werkzeug/3.1.9 Python/3.11.2")],
                "",
            )],
            ..Evidence::default()
        };
        assert!(detect(&e).unwrap().message.contains("Werkzeug/3.1.9"));
    }

    #[test]
    fn production_servers() {
        for server in ["gunicorn", "nginx", "werkzeugish"] {
            let e = Evidence {
                main: vec![response(200, &[("Server", server)], "")],
                ..Evidence::default()
            };
            assert_eq!(detect(&e), None, "{server}");
        }
        assert_eq!(detect(&Evidence::default()), None);
    }
}
