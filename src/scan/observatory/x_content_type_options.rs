//! x-content-type-options: the first `X-Content-Type-Options` value must be
//! `nosniff` (case-insensitive); missing or anything else (the header sent
//! twice included) is -5.

use super::{Observation, Outcome, TestId, TestResult};

pub fn run(obs: &Observation) -> TestResult {
    let id = TestId::XContentTypeOptions;
    match obs
        .auto
        .headers
        .combined("x-content-type-options")
        .as_deref()
    {
        None => TestResult::new(id, Outcome::XContentTypeOptionsNotImplemented, false),
        Some(v) if v.trim().eq_ignore_ascii_case("nosniff") => {
            TestResult::new(id, Outcome::XContentTypeOptionsNosniff, true)
        }
        Some(v) => TestResult::new(id, Outcome::XContentTypeOptionsHeaderInvalid, false)
            .with_detail(v.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::grade_headers;
    use super::*;

    fn grade(headers: &[(&str, &str)]) -> (Outcome, bool) {
        grade_headers(run, headers)
    }

    #[test]
    fn values() {
        assert_eq!(
            grade(&[("X-Content-Type-Options", " NoSniff ")]),
            (Outcome::XContentTypeOptionsNosniff, true)
        );
        assert_eq!(
            grade(&[]),
            (Outcome::XContentTypeOptionsNotImplemented, false)
        );
        assert_eq!(
            grade(&[("X-Content-Type-Options", "nosniff, nosniff")]),
            (Outcome::XContentTypeOptionsHeaderInvalid, false)
        );
    }
}
