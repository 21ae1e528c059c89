//! unauthenticated-operation / admin-operation-exposed: an operation the API
//! contract marks as secured answered 2xx to a request without credentials
//! (or with only the `--header` ones).

use super::{Evidence, Finding, FindingId, ProbeSeverity};

pub fn detect(evidence: &Evidence) -> Vec<Finding> {
    let source = evidence
        .contract_source
        .as_deref()
        .unwrap_or("the contract");
    evidence
        .contract
        .iter()
        .filter(|(op, response)| op.secured && (200..300).contains(&response.status))
        .map(|(op, response)| {
            let (id, what) = if op.admin {
                (
                    FindingId::AdminOperationExposed,
                    "an admin operation is open: check the caller's role in the view (or its blueprint's before_request)",
                )
            } else {
                (
                    FindingId::UnauthenticatedOperation,
                    "guard the view (login_required / jwt_required, or the blueprint's before_request)",
                )
            };
            Finding {
                id,
                severity: ProbeSeverity::High,
                message: format!(
                    "{} {} ({}) answered {} without the credentials {source} requires; {what}",
                    op.method, op.template, op.path, response.status
                ),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::response_at;
    use super::*;
    use crate::scan::contract::Operation;

    fn op(path: &str, secured: bool, admin: bool) -> Operation {
        Operation {
            method: "GET",
            template: path.to_string(),
            path: path.to_string(),
            secured,
            admin,
        }
    }

    #[test]
    fn secured_operations_answering_2xx() {
        let e = Evidence {
            contract: vec![
                (
                    op("/users", true, false),
                    response_at("/users", 200, &[], "[]"),
                ),
                (
                    op("/admin/stats", true, true),
                    response_at("/admin/stats", 200, &[], "{}"),
                ),
                (op("/me", true, false), response_at("/me", 401, &[], "")),
                (
                    op("/health", false, false),
                    response_at("/health", 200, &[], "ok"),
                ),
            ],
            contract_source: Some("openapi.json".into()),
            ..Evidence::default()
        };
        let ids: Vec<_> = detect(&e).iter().map(|f| f.id).collect();
        assert_eq!(
            ids,
            [
                FindingId::UnauthenticatedOperation,
                FindingId::AdminOperationExposed
            ]
        );
    }
}
