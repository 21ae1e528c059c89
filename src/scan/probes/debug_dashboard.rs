//! debug-dashboard: a profiling or monitoring UI (flask-profiler,
//! Flask-MonitoringDashboard, rq-dashboard) answers without credentials.

use super::exposure::{answer, text};
use super::{Evidence, Finding, FindingId, ProbeSeverity};

const DASHBOARDS: &[(&str, &str, &str)] = &[
    ("/flask-profiler/", "flask-profiler", "flask-profiler"),
    (
        "/dashboard/",
        "flask monitoring dashboard",
        "Flask-MonitoringDashboard",
    ),
    ("/rq/", "rq dashboard", "rq-dashboard"),
];

pub fn detect(evidence: &Evidence) -> Option<Finding> {
    let found: Vec<String> = DASHBOARDS
        .iter()
        .filter(|(path, marker, _)| {
            answer(evidence, path).is_some_and(|r| text(r).to_ascii_lowercase().contains(marker))
        })
        .map(|(path, _, name)| format!("{path} ({name})"))
        .collect();
    (!found.is_empty()).then(|| Finding {
        id: FindingId::DebugDashboard,
        severity: ProbeSeverity::Medium,
        message: format!(
            "{} answered without credentials: profiling and queue dashboards show requests, timings and data. Protect them with authentication or turn them off in production",
            found.join(", ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::response_at;
    use super::*;

    #[test]
    fn dashboards_by_content() {
        let e = Evidence {
            exposure: vec![response_at("/rq/", 200, &[], "<title>RQ Dashboard</title>")],
            ..Evidence::default()
        };
        assert!(detect(&e).unwrap().message.contains("rq-dashboard"));
        let e = Evidence {
            exposure: vec![response_at(
                "/dashboard/",
                200,
                &[],
                "<title>Sales dashboard</title>",
            )],
            ..Evidence::default()
        };
        assert_eq!(detect(&e), None);
    }
}
