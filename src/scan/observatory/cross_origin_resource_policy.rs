//! cross-origin-resource-policy: `same-origin` or `same-site` earn +10,
//! `cross-origin` and no header are neutral, any other value is -5.

use super::{Observation, Outcome, TestId, TestResult};

pub fn run(obs: &Observation) -> TestResult {
    let id = TestId::CrossOriginResourcePolicy;
    let Some(value) = obs.auto.headers.combined("cross-origin-resource-policy") else {
        return TestResult::new(id, Outcome::CrossOriginResourcePolicyNotImplemented, true);
    };
    let value: String = value
        .chars()
        .take(256)
        .collect::<String>()
        .trim()
        .to_ascii_lowercase();
    let outcome = match value.as_str() {
        "same-site" => Outcome::CrossOriginResourcePolicyImplementedWithSameSite,
        "same-origin" => Outcome::CrossOriginResourcePolicyImplementedWithSameOrigin,
        "cross-origin" => Outcome::CrossOriginResourcePolicyImplementedWithCrossOrigin,
        _ => Outcome::CrossOriginResourcePolicyHeaderInvalid,
    };
    TestResult::new(
        id,
        outcome,
        outcome != Outcome::CrossOriginResourcePolicyHeaderInvalid,
    )
    .with_detail(value)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::observe;
    use super::*;

    fn grade(value: Option<&str>) -> (Outcome, bool, i32) {
        let headers: Vec<(&str, &str)> = value
            .map(|v| ("Cross-Origin-Resource-Policy", v))
            .into_iter()
            .collect();
        let r = run(&observe("https://e.com/", &headers));
        (r.outcome, r.pass, r.outcome.modifier())
    }

    #[test]
    fn values() {
        assert_eq!(
            grade(Some("same-origin")),
            (
                Outcome::CrossOriginResourcePolicyImplementedWithSameOrigin,
                true,
                10
            )
        );
        assert_eq!(
            grade(Some(" Same-Site ")),
            (
                Outcome::CrossOriginResourcePolicyImplementedWithSameSite,
                true,
                10
            )
        );
        assert_eq!(
            grade(Some("cross-origin")),
            (
                Outcome::CrossOriginResourcePolicyImplementedWithCrossOrigin,
                true,
                0
            )
        );
        assert_eq!(
            grade(None),
            (Outcome::CrossOriginResourcePolicyNotImplemented, true, 0)
        );
        assert_eq!(
            grade(Some("same")),
            (Outcome::CrossOriginResourcePolicyHeaderInvalid, false, -5)
        );
    }
}
