//! public-api-docs (informational): the API's contract or documentation UI is
//! public. Not a flaw by itself; it lists the surface an attacker sees.

use super::exposure::{hits, text};
use super::{Evidence, Finding, FindingId, ProbeSeverity};

const CONTRACTS: &[&str] = &["/openapi.json", "/swagger.json", "/apispec_1.json"];
const UIS: &[&str] = &["/apidocs/"];

fn is_contract(body: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(body).is_ok_and(|v| {
        (v.get("openapi").is_some() || v.get("swagger").is_some()) && v.get("paths").is_some()
    })
}

fn is_docs_ui(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    lower.contains("swagger-ui") || lower.contains("redoc")
}

pub fn detect(evidence: &Evidence) -> Option<Finding> {
    let mut found = hits(evidence, CONTRACTS, |r| is_contract(&text(r)));
    found.extend(hits(evidence, UIS, |r| is_docs_ui(&text(r))));
    (!found.is_empty()).then(|| Finding {
        id: FindingId::PublicApiDocs,
        severity: ProbeSeverity::Info,
        message: format!(
            "{} is public (informational): the contract lists every operation; make sure every operation it marks as secured refuses requests without credentials",
            found.join(", ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::response_at;
    use super::*;

    #[test]
    fn contracts_and_uis() {
        let e = Evidence {
            exposure: vec![response_at(
                "/openapi.json",
                200,
                &[],
                r#"{"openapi": "3.1.0", "paths": {}}"#,
            )],
            ..Evidence::default()
        };
        let finding = detect(&e).unwrap();
        assert_eq!(finding.severity, ProbeSeverity::Info);
        let e = Evidence {
            exposure: vec![response_at(
                "/openapi.json",
                200,
                &[],
                r#"{"status": "ok"}"#,
            )],
            ..Evidence::default()
        };
        assert_eq!(detect(&e), None);
    }
}
