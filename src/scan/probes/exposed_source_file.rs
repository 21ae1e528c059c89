//! exposed-source-file: the app's own Python source or configuration module is
//! served (`/config.py`, `/app.py`, ...), often with its secret key.

use super::exposure::{hits, is_html, text};
use super::{Evidence, Finding, FindingId, ProbeSeverity};

const CANDIDATES: &[&str] = &[
    "/config.py",
    "/settings.py",
    "/app.py",
    "/wsgi.py",
    "/instance/config.py",
    "/config.py.bak",
];

fn looks_like_python(body: &str) -> bool {
    let code_lines = body.lines().filter(|line| {
        let line = line.trim_start();
        line.starts_with("import ")
            || line.starts_with("from ")
            || line.starts_with("def ")
            || line.starts_with("class ")
            || line.split_once('=').is_some_and(|(name, _)| {
                let name = name.trim();
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            })
    });
    code_lines.count() >= 2
}

pub fn detect(evidence: &Evidence) -> Option<Finding> {
    let found = hits(evidence, CANDIDATES, |r| {
        !is_html(r) && looks_like_python(&text(r))
    });
    (!found.is_empty()).then(|| Finding {
        id: FindingId::ExposedSourceFile,
        severity: ProbeSeverity::High,
        message: format!(
            "{} answered with Python source: the application's code and configuration (often its SECRET_KEY) are public. Serve only a dedicated static folder and rotate the secrets the files contain",
            found.join(", ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::response_at;
    use super::*;

    #[test]
    fn python_config_is_a_hit() {
        let e = Evidence {
            exposure: vec![response_at(
                "/config.py",
                200,
                &[("Content-Type", "text/x-python")],
                "import os\nSECRET_KEY = 'x'\n",
            )],
            ..Evidence::default()
        };
        assert!(detect(&e).is_some());
        let e = Evidence {
            exposure: vec![response_at(
                "/config.py",
                200,
                &[],
                "<!doctype html><p>from here</p>",
            )],
            ..Evidence::default()
        };
        assert_eq!(detect(&e), None);
    }
}
