//! exposed-env-file: the app serves its `.env` / `.flaskenv`: secrets and
//! configuration for anyone who asks (recognised by `NAME=value` lines).

use super::exposure::{hits, is_html, text};
use super::{Evidence, Finding, FindingId, ProbeSeverity};

const CANDIDATES: &[&str] = &["/.env", "/.flaskenv", "/.env.production"];

fn looks_like_env(body: &str) -> bool {
    let mut assignments = 0;
    for line in body.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((name, _)) = line.split_once('=') else {
            return false;
        };
        let name = name.trim();
        if name.is_empty()
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            || name.starts_with(|c: char| c.is_ascii_digit())
        {
            return false;
        }
        assignments += 1;
    }
    assignments > 0
}

pub fn detect(evidence: &Evidence) -> Option<Finding> {
    let found = hits(evidence, CANDIDATES, |r| {
        !is_html(r) && looks_like_env(&text(r))
    });
    (!found.is_empty()).then(|| Finding {
        id: FindingId::ExposedEnvFile,
        severity: ProbeSeverity::High,
        message: format!(
            "{} answered with NAME=value lines: environment files (secret keys, database passwords) are public. Stop serving the project folder as static files (static_folder), rotate every secret in the file",
            found.join(", ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{response, response_at};
    use super::*;

    #[test]
    fn env_lines_are_a_hit_html_is_not() {
        let e = Evidence {
            exposure: vec![response_at(
                "/.env",
                200,
                &[],
                "# local\nSECRET_KEY=abc\nexport DB_URL=x\n",
            )],
            ..Evidence::default()
        };
        assert!(detect(&e).unwrap().message.starts_with("/.env answered"));
        let e = Evidence {
            exposure: vec![response_at(
                "/.env",
                200,
                &[("Content-Type", "text/html")],
                "<p>A=1</p>",
            )],
            ..Evidence::default()
        };
        assert_eq!(detect(&e), None);
        // An app that answers the same page for every path.
        let page = "TITLE=home";
        let e = Evidence {
            exposure: vec![response_at("/.env", 200, &[], page)],
            not_found: Some(response(200, &[], page)),
            ..Evidence::default()
        };
        assert_eq!(detect(&e), None);
    }
}
