//! cross-origin-opener-policy: the header is a structured-field token.
//! `same-origin`, `same-origin-allow-popups` or `noopener-allow-popups` earn
//! +10, `unsafe-none` and no header are neutral; a repeated header or any
//! other value is -5.

use super::{Observation, Outcome, TestId, TestResult, single_token_outcome};

const KNOWN: [(&str, Outcome); 4] = [
    ("same-origin", Outcome::CoopImplementedWithSameOrigin),
    (
        "same-origin-allow-popups",
        Outcome::CoopImplementedWithSameOriginAllowPopups,
    ),
    (
        "noopener-allow-popups",
        Outcome::CoopImplementedWithNoopenerAllowPopups,
    ),
    ("unsafe-none", Outcome::CoopImplementedWithUnsafeNone),
];

pub fn run(obs: &Observation) -> TestResult {
    let outcome = single_token_outcome(
        obs,
        "cross-origin-opener-policy",
        &KNOWN,
        Outcome::CoopNotImplemented,
        Outcome::CoopHeaderInvalid,
    );
    TestResult::new(
        TestId::CrossOriginOpenerPolicy,
        outcome,
        outcome != Outcome::CoopHeaderInvalid,
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::grade_values;
    use super::*;

    fn grade(values: &[&str]) -> (Outcome, bool) {
        grade_values(run, "Cross-Origin-Opener-Policy", values)
    }

    #[test]
    fn values() {
        assert_eq!(
            grade(&["same-origin"]),
            (Outcome::CoopImplementedWithSameOrigin, true)
        );
        assert_eq!(
            grade(&["same-origin-allow-popups"]),
            (Outcome::CoopImplementedWithSameOriginAllowPopups, true)
        );
        assert_eq!(
            grade(&["noopener-allow-popups"]),
            (Outcome::CoopImplementedWithNoopenerAllowPopups, true)
        );
        assert_eq!(
            grade(&["unsafe-none"]),
            (Outcome::CoopImplementedWithUnsafeNone, true)
        );
        assert_eq!(grade(&[]), (Outcome::CoopNotImplemented, true));
        assert_eq!(grade(&["same-site"]), (Outcome::CoopHeaderInvalid, false));
        assert_eq!(
            grade(&["same-origin", "unsafe-none"]),
            (Outcome::CoopHeaderInvalid, false)
        );
    }
}
