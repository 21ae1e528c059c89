//! The twelve HTTP Observatory tests (algorithm version 6), re-implemented
//! from the published rules. Each test is a pure function of an
//! [`Observation`] (the responses the scanner collected) and lives in its own
//! module; [`run_all`] runs them in the Observatory's order.

mod content_security_policy;
mod cookies;
mod cross_origin_embedder_policy;
mod cross_origin_opener_policy;
mod cross_origin_resource_policy;
mod cross_origin_resource_sharing;
pub mod outcome;
mod redirection;
mod referrer_policy;
mod strict_transport_security;
mod subresource_integrity;
mod x_content_type_options;
mod x_frame_options;

use url::Url;

use super::headers::Headers;
pub use outcome::Outcome;

/// One response as the scanner received it (body cut at the read limit).
#[derive(Debug, Clone)]
pub struct Response {
    pub url: Url,
    pub status: u16,
    pub headers: Headers,
    pub body: Vec<u8>,
}

/// The plain-HTTP entry point and where its redirects lead: `hops[0]` is the
/// `http://` URL, each later hop a redirect target (the last one may be an
/// off-host target that was recorded but not fetched).
#[derive(Debug, Clone)]
pub struct HttpRoute {
    pub hops: Vec<Url>,
    /// False when the chain reached HTTPS without certificate verification.
    pub verified: bool,
}

/// The answer to a GET that carried a foreign `Origin`.
#[derive(Debug, Clone)]
pub struct CorsProbe {
    pub origin: String,
    pub headers: Headers,
}

/// Everything the tests look at.
#[derive(Debug, Clone)]
pub struct Observation {
    /// The final response of the scanned URL (after same-host redirects).
    pub auto: Response,
    /// Whether the TLS certificate of `auto` was verified (true for plain HTTP).
    pub verified: bool,
    /// The plain-HTTP route, when there is a plain-HTTP endpoint.
    pub http_route: Option<HttpRoute>,
    pub cors: Option<CorsProbe>,
    /// Every `Set-Cookie` value received on the main and HTTP routes, in order.
    pub set_cookies: Vec<String>,
    /// The current year, for cookie expiry.
    pub current_year: i64,
}

impl Observation {
    /// The HTTPS response, when the scanned URL ended on HTTPS.
    pub fn https(&self) -> Option<&Response> {
        (self.auto.url.scheme() == "https").then_some(&self.auto)
    }
}

/// The tests, by their Observatory names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestId {
    ContentSecurityPolicy,
    Cookies,
    CrossOriginResourceSharing,
    Redirection,
    ReferrerPolicy,
    StrictTransportSecurity,
    SubresourceIntegrity,
    XContentTypeOptions,
    XFrameOptions,
    CrossOriginResourcePolicy,
    CrossOriginEmbedderPolicy,
    CrossOriginOpenerPolicy,
}

impl TestId {
    /// The Observatory's test name.
    pub fn as_str(self) -> &'static str {
        match self {
            TestId::ContentSecurityPolicy => "content-security-policy",
            TestId::Cookies => "cookies",
            TestId::CrossOriginResourceSharing => "cross-origin-resource-sharing",
            TestId::Redirection => "redirection",
            TestId::ReferrerPolicy => "referrer-policy",
            TestId::StrictTransportSecurity => "strict-transport-security",
            TestId::SubresourceIntegrity => "subresource-integrity",
            TestId::XContentTypeOptions => "x-content-type-options",
            TestId::XFrameOptions => "x-frame-options",
            TestId::CrossOriginResourcePolicy => "cross-origin-resource-policy",
            TestId::CrossOriginEmbedderPolicy => "cross-origin-embedder-policy",
            TestId::CrossOriginOpenerPolicy => "cross-origin-opener-policy",
        }
    }
}

/// The result of one test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestResult {
    pub id: TestId,
    pub outcome: Outcome,
    pub pass: bool,
    /// What was seen, when it helps the reader (a header value, a cookie name).
    pub detail: Option<String>,
}

impl TestResult {
    fn new(id: TestId, outcome: Outcome, pass: bool) -> Self {
        Self {
            id,
            outcome,
            pass,
            detail: None,
        }
    }

    fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The one-line reason: the outcome's explanation plus what was seen.
    pub fn reason(&self) -> String {
        match &self.detail {
            Some(detail) => format!("{} ({detail})", self.outcome.description()),
            None => self.outcome.description().to_string(),
        }
    }

    /// The flask-harden rule whose fix remediates a failing test.
    pub fn fix_rule(&self) -> Option<&'static str> {
        if self.pass {
            return None;
        }
        match self.id {
            TestId::ContentSecurityPolicy => Some(match self.outcome {
                Outcome::CspNotImplemented | Outcome::CspNotImplementedButReportingEnabled => {
                    "FH202"
                }
                _ => "FH204",
            }),
            TestId::Cookies => Some("FH105"),
            TestId::CrossOriginResourceSharing => Some("FH201"),
            TestId::StrictTransportSecurity => Some(match self.outcome {
                Outcome::HstsNotImplemented | Outcome::HstsNotImplementedNoHttps => "FH202",
                _ => "FH204",
            }),
            // Talisman's force_https and its headers.
            TestId::Redirection
            | TestId::ReferrerPolicy
            | TestId::XContentTypeOptions
            | TestId::XFrameOptions
            | TestId::CrossOriginResourcePolicy
            | TestId::CrossOriginEmbedderPolicy
            | TestId::CrossOriginOpenerPolicy => Some("FH202"),
            // Script tags in templates: no code rule rewrites them.
            TestId::SubresourceIntegrity => None,
        }
    }
}

/// Runs the twelve tests in the Observatory's order.
pub fn run_all(obs: &Observation) -> Vec<TestResult> {
    vec![
        content_security_policy::run(obs),
        cookies::run(obs),
        cross_origin_resource_sharing::run(obs),
        redirection::run(obs),
        referrer_policy::run(obs),
        strict_transport_security::run(obs),
        subresource_integrity::run(obs),
        x_content_type_options::run(obs),
        x_frame_options::run(obs),
        cross_origin_resource_policy::run(obs),
        cross_origin_embedder_policy::run(obs),
        cross_origin_opener_policy::run(obs),
    ]
}

/// The value of a structured-field token header (`same-origin; report-to="x"`
/// -> `same-origin`); `None` when the item is not a bare token.
fn structured_token(value: &str) -> Option<&str> {
    let item = value.split(';').next().unwrap_or("").trim();
    let mut chars = item.chars();
    let first = chars.next()?;
    let tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~:/".contains(c);
    ((first.is_ascii_alphabetic() || first == '*') && chars.all(tchar)).then_some(item)
}

/// The outcome of a header that must appear once and hold one of the `known`
/// structured-field tokens: `missing` without it, `invalid` when repeated or
/// holding anything else.
fn single_token_outcome(
    obs: &Observation,
    header: &str,
    known: &[(&str, Outcome)],
    missing: Outcome,
    invalid: Outcome,
) -> Outcome {
    let values: Vec<&str> = obs.auto.headers.all(header).collect();
    match values.as_slice() {
        [] => missing,
        [value] => structured_token(value)
            .and_then(|token| known.iter().find(|(k, _)| *k == token))
            .map_or(invalid, |(_, outcome)| *outcome),
        _ => invalid,
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Builders for observations in unit tests.
    use super::*;

    /// Runs `test` on an HTTPS response that carries `header` once per value.
    pub fn grade_values(
        test: fn(&Observation) -> TestResult,
        header: &str,
        values: &[&str],
    ) -> (Outcome, bool) {
        let headers: Vec<(&str, &str)> = values.iter().map(|v| (header, *v)).collect();
        grade_headers(test, &headers)
    }

    /// Runs `test` on an HTTPS response that carries `headers`.
    pub fn grade_headers(
        test: fn(&Observation) -> TestResult,
        headers: &[(&str, &str)],
    ) -> (Outcome, bool) {
        let result = test(&observe("https://e.com/", headers));
        (result.outcome, result.pass)
    }

    /// An observation of `url` whose only response carries `headers`.
    pub fn observe(url: &str, headers: &[(&str, &str)]) -> Observation {
        let url = Url::parse(url).unwrap();
        Observation {
            auto: Response {
                url: url.clone(),
                status: 200,
                headers: Headers::new(headers.iter().copied()),
                body: Vec::new(),
            },
            verified: true,
            http_route: None,
            cors: None,
            set_cookies: headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
                .map(|(_, v)| v.to_string())
                .collect(),
            current_year: 2026,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::observe;
    use super::*;

    #[test]
    fn structured_tokens() {
        assert_eq!(structured_token("same-origin"), Some("same-origin"));
        assert_eq!(
            structured_token(" same-origin ; report-to=\"x\""),
            Some("same-origin")
        );
        assert_eq!(structured_token("\"same-origin\""), None);
        assert_eq!(structured_token("same origin"), None);
        assert_eq!(structured_token(""), None);
    }

    #[test]
    fn bare_app_fails_with_fixes_named() {
        let results = run_all(&observe("https://example.com/", &[]));
        assert_eq!(results.len(), 12);
        let csp = &results[0];
        assert_eq!(csp.outcome, Outcome::CspNotImplemented);
        assert_eq!(csp.fix_rule(), Some("FH202"));
        let sri = &results[6];
        assert!(sri.pass);
        assert_eq!(sri.fix_rule(), None);
    }
}
