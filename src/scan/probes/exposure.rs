//! What the exposure probes share: the paths they request (GET only, at the
//! origin's root) and the content tests that tell a real file from a page an
//! app answers for every path.

use crate::scan::observatory::Response;

use super::Evidence;

/// Every path the exposure probes request, in order.
pub const PATHS: &[&str] = &[
    "/.env",
    "/.flaskenv",
    "/.env.production",
    "/.git/HEAD",
    "/.git/config",
    "/config.py",
    "/settings.py",
    "/app.py",
    "/wsgi.py",
    "/instance/config.py",
    "/config.py.bak",
    "/backup.sql",
    "/dump.sql",
    "/db.sqlite3",
    "/app.db",
    "/database.db",
    "/static/",
    "/uploads/",
    "/_debug_toolbar/static/css/toolbar.css",
    "/admin/",
    "/flask-profiler/",
    "/dashboard/",
    "/rq/",
    "/openapi.json",
    "/swagger.json",
    "/apispec_1.json",
    "/apidocs/",
];

/// The 2xx answer to `path`, unless it is the page the app gives for a path
/// that does not exist (an app that answers 200 with the same page everywhere).
pub fn answer<'e>(evidence: &'e Evidence, path: &str) -> Option<&'e Response> {
    let response = evidence
        .exposure
        .iter()
        .find(|r| r.url.path() == path && (200..300).contains(&r.status))?;
    let same_as_missing = evidence.not_found.as_ref().is_some_and(|missing| {
        (200..300).contains(&missing.status) && missing.body == response.body
    });
    (!same_as_missing && !response.body.is_empty()).then_some(response)
}

/// The body as text (lossy), for the content tests.
pub fn text(response: &Response) -> String {
    String::from_utf8_lossy(&response.body).into_owned()
}

/// Whether the answer is an HTML page (by type or by content).
pub fn is_html(response: &Response) -> bool {
    let typed = response
        .headers
        .first("content-type")
        .is_some_and(|t| t.to_ascii_lowercase().contains("html"));
    let body = text(response);
    let head = body
        .trim_start()
        .get(..64)
        .unwrap_or(body.trim_start())
        .to_ascii_lowercase();
    typed || head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// The paths of `candidates` whose answer passes `test`.
pub fn hits(
    evidence: &Evidence,
    candidates: &[&'static str],
    test: impl Fn(&Response) -> bool,
) -> Vec<&'static str> {
    candidates
        .iter()
        .copied()
        .filter(|path| answer(evidence, path).is_some_and(&test))
        .collect()
}
