//! exposed-git-repository: `/.git/` is served: the whole source history (and
//! every secret ever committed) can be downloaded file by file.

use super::exposure::{answer, text};
use super::{Evidence, Finding, FindingId, ProbeSeverity};

fn is_head(body: &str) -> bool {
    let body = body.trim();
    body.starts_with("ref: refs/")
        || (body.len() == 40 && body.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_config(body: &str) -> bool {
    body.contains("[core]") && (body.contains("repositoryformatversion") || body.contains("bare ="))
}

pub fn detect(evidence: &Evidence) -> Option<Finding> {
    let mut found = Vec::new();
    if answer(evidence, "/.git/HEAD").is_some_and(|r| is_head(&text(r))) {
        found.push("/.git/HEAD");
    }
    if answer(evidence, "/.git/config").is_some_and(|r| is_config(&text(r))) {
        found.push("/.git/config");
    }
    (!found.is_empty()).then(|| Finding {
        id: FindingId::ExposedGitRepository,
        severity: ProbeSeverity::High,
        message: format!(
            "{} answered with git metadata: the repository (source, history, committed secrets) can be downloaded. Do not serve the project folder; deploy a build without .git",
            found.join(" and ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::response_at;
    use super::*;

    #[test]
    fn head_and_config() {
        let e = Evidence {
            exposure: vec![
                response_at("/.git/HEAD", 200, &[], "ref: refs/heads/main\n"),
                response_at(
                    "/.git/config",
                    200,
                    &[],
                    "[core]\n\trepositoryformatversion = 0\n",
                ),
            ],
            ..Evidence::default()
        };
        let finding = detect(&e).unwrap();
        assert!(finding.message.starts_with("/.git/HEAD and /.git/config"));
        let e = Evidence {
            exposure: vec![response_at("/.git/HEAD", 200, &[], "<html>home</html>")],
            ..Evidence::default()
        };
        assert_eq!(detect(&e), None);
    }
}
