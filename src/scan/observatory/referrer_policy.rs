//! referrer-policy: the last recognised value of the `Referrer-Policy`
//! header(s) decides: private values earn +5, leaky ones -5, a header with no
//! recognised value -5; no header at all is neutral.

use super::{Observation, Outcome, TestId, TestResult};

const PRIVATE: [&str; 4] = [
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
];
const UNSAFE: [&str; 4] = [
    "origin",
    "origin-when-cross-origin",
    "unsafe-url",
    "no-referrer-when-downgrade",
];

pub fn run(obs: &Observation) -> TestResult {
    let id = TestId::ReferrerPolicy;
    let values: Vec<&str> = obs.auto.headers.all("referrer-policy").collect();
    if values.is_empty() {
        return TestResult::new(id, Outcome::ReferrerPolicyNotImplemented, true);
    }
    let joined = values.join(", ");
    let policy = joined
        .split(',')
        .map(|v| v.trim().to_ascii_lowercase())
        .rfind(|v| PRIVATE.contains(&v.as_str()) || UNSAFE.contains(&v.as_str()));
    let outcome = match policy.as_deref() {
        Some(p) if PRIVATE.contains(&p) => Outcome::ReferrerPolicyPrivate,
        Some(_) => Outcome::ReferrerPolicyUnsafe,
        None => Outcome::ReferrerPolicyHeaderInvalid,
    };
    TestResult::new(id, outcome, outcome == Outcome::ReferrerPolicyPrivate).with_detail(joined)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::grade_values;
    use super::*;

    fn grade(values: &[&str]) -> (Outcome, bool) {
        grade_values(run, "Referrer-Policy", values)
    }

    #[test]
    fn every_private_value() {
        for v in PRIVATE {
            assert_eq!(grade(&[v]), (Outcome::ReferrerPolicyPrivate, true), "{v}");
        }
        assert_eq!(grade(&["No-Referrer"]).0, Outcome::ReferrerPolicyPrivate);
    }

    #[test]
    fn every_unsafe_value() {
        for v in UNSAFE {
            assert_eq!(grade(&[v]), (Outcome::ReferrerPolicyUnsafe, false), "{v}");
        }
    }

    #[test]
    fn missing_and_invalid() {
        assert_eq!(grade(&[]), (Outcome::ReferrerPolicyNotImplemented, true));
        assert_eq!(
            grade(&["nope"]),
            (Outcome::ReferrerPolicyHeaderInvalid, false)
        );
    }

    #[test]
    fn last_recognised_value_wins() {
        assert_eq!(
            grade(&["unsafe-url, no-referrer, bogus"]).0,
            Outcome::ReferrerPolicyPrivate
        );
        assert_eq!(
            grade(&["no-referrer", "unsafe-url"]).0,
            Outcome::ReferrerPolicyUnsafe
        );
    }
}
