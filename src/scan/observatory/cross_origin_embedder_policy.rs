//! cross-origin-embedder-policy: the header is a structured-field token.
//! `require-corp` or `credentialless` earn +10, `unsafe-none` and no header
//! are neutral; a repeated header or any other value is -5.

use super::{Observation, Outcome, TestId, TestResult, single_token_outcome};

const KNOWN: [(&str, Outcome); 3] = [
    ("require-corp", Outcome::CoepImplementedWithRequireCorp),
    ("credentialless", Outcome::CoepImplementedWithCredentialless),
    ("unsafe-none", Outcome::CoepImplementedWithUnsafeNone),
];

pub fn run(obs: &Observation) -> TestResult {
    let outcome = single_token_outcome(
        obs,
        "cross-origin-embedder-policy",
        &KNOWN,
        Outcome::CoepNotImplemented,
        Outcome::CoepHeaderInvalid,
    );
    TestResult::new(
        TestId::CrossOriginEmbedderPolicy,
        outcome,
        outcome != Outcome::CoepHeaderInvalid,
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::grade_values;
    use super::*;

    fn grade(values: &[&str]) -> (Outcome, bool) {
        grade_values(run, "Cross-Origin-Embedder-Policy", values)
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
