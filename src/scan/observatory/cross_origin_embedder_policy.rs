//! cross-origin-embedder-policy: the header is a structured-field token.
//! `require-corp` or `credentialless` earn +10, `unsafe-none` and no header
//! are neutral; a repeated header or any other value is -5.

use super::{Observation, Outcome, TestId, TestResult, structured_token};

pub fn run(obs: &Observation) -> TestResult {
    let id = TestId::CrossOriginEmbedderPolicy;
    let values: Vec<&str> = obs
        .auto
        .headers
        .all("cross-origin-embedder-policy")
        .collect();
    let outcome = match values.as_slice() {
        [] => Outcome::CoepNotImplemented,
        [value] => match structured_token(value) {
            Some("require-corp") => Outcome::CoepImplementedWithRequireCorp,
            Some("credentialless") => Outcome::CoepImplementedWithCredentialless,
            Some("unsafe-none") => Outcome::CoepImplementedWithUnsafeNone,
            _ => Outcome::CoepHeaderInvalid,
        },
        _ => Outcome::CoepHeaderInvalid,
    };
    TestResult::new(id, outcome, outcome != Outcome::CoepHeaderInvalid)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::observe;
    use super::*;

    fn grade(values: &[&str]) -> (Outcome, bool) {
        let headers: Vec<(&str, &str)> = values
            .iter()
            .map(|v| ("Cross-Origin-Embedder-Policy", *v))
            .collect();
        let r = run(&observe("https://e.com/", &headers));
        (r.outcome, r.pass)
    }

    #[test]
    fn values() {
        assert_eq!(
            grade(&["require-corp"]),
            (Outcome::CoepImplementedWithRequireCorp, true)
        );
        assert_eq!(
            grade(&["credentialless; report-to=\"e\""]),
            (Outcome::CoepImplementedWithCredentialless, true)
        );
        assert_eq!(
            grade(&["unsafe-none"]),
            (Outcome::CoepImplementedWithUnsafeNone, true)
        );
        assert_eq!(grade(&[]), (Outcome::CoepNotImplemented, true));
        assert_eq!(
            grade(&["\"require-corp\""]),
            (Outcome::CoepHeaderInvalid, false)
        );
        assert_eq!(
            grade(&["require-corp", "require-corp"]),
            (Outcome::CoepHeaderInvalid, false)
        );
        // Tokens are case-sensitive.
        assert_eq!(
            grade(&["Require-Corp"]),
            (Outcome::CoepHeaderInvalid, false)
        );
    }
}
