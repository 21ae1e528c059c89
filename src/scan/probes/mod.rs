//! Flask-specific exposures found on a running app. The scanner gathers the
//! responses of a few fixed probes into [`Evidence`]; each finding is a pure
//! function of that evidence, in its own module, named after the finding id.

mod admin_without_authentication;
mod cors_reflects_origin;
mod debug_dashboard;
mod debug_toolbar;
mod development_server;
mod directory_listing;
mod exposed_database_dump;
mod exposed_env_file;
mod exposed_git_repository;
mod exposed_source_file;
pub mod exposure;
mod no_rate_limit;
mod public_api_docs;
mod stack_trace;
mod trace_enabled;
mod unauthenticated_operation;
mod werkzeug_debugger;

use serde::Serialize;

use super::observatory::Response;
use super::owasp::{self, Owasp};

/// The foreign origin sent by the CORS probes.
pub const FOREIGN_ORIGIN: &str = "https://flask-harden-scan.invalid";
/// Path of a page that should not exist.
pub const NOT_FOUND_PATH: &str = "/flask-harden-scan-does-not-exist";
/// Query string with malformed values (bad percent-escapes, wrong types, quotes).
pub const MALFORMED_QUERY: &str = "id=%27%22%3C&page=-1x&limit=abc&q=%ff%fe&__flask_harden=%";
/// The Werkzeug debugger's interactive console.
pub const CONSOLE_PATH: &str = "/console";
/// The Werkzeug debugger's static-resource endpoint.
pub const DEBUGGER_RESOURCE_QUERY: &str = "__debugger__=yes&cmd=resource&f=style.css";

/// How bad a probe's finding is: the scan's own scale, with `Info` for
/// surface worth knowing (not the check rules' [`crate::analysis::Severity`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProbeSeverity {
    High,
    Medium,
    Low,
    /// Not a flaw by itself: part of the surface worth knowing.
    Info,
}

impl ProbeSeverity {
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeSeverity::High => "high",
            ProbeSeverity::Medium => "medium",
            ProbeSeverity::Low => "low",
            ProbeSeverity::Info => "info",
        }
    }
}

/// The finding kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingId {
    WerkzeugDebugger,
    DevelopmentServer,
    StackTrace,
    CorsReflectsOrigin,
    NoRateLimit,
    TraceEnabled,
    ExposedEnvFile,
    ExposedGitRepository,
    ExposedSourceFile,
    ExposedDatabaseDump,
    DirectoryListing,
    DebugToolbar,
    AdminWithoutAuthentication,
    DebugDashboard,
    PublicApiDocs,
    UnauthenticatedOperation,
    AdminOperationExposed,
}

impl FindingId {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingId::WerkzeugDebugger => "werkzeug-debugger",
            FindingId::DevelopmentServer => "development-server",
            FindingId::StackTrace => "stack-trace",
            FindingId::CorsReflectsOrigin => "cors-reflects-origin",
            FindingId::NoRateLimit => "no-rate-limit",
            FindingId::TraceEnabled => "trace-enabled",
            FindingId::ExposedEnvFile => "exposed-env-file",
            FindingId::ExposedGitRepository => "exposed-git-repository",
            FindingId::ExposedSourceFile => "exposed-source-file",
            FindingId::ExposedDatabaseDump => "exposed-database-dump",
            FindingId::DirectoryListing => "directory-listing",
            FindingId::DebugToolbar => "debug-toolbar",
            FindingId::AdminWithoutAuthentication => "admin-without-authentication",
            FindingId::DebugDashboard => "debug-dashboard",
            FindingId::PublicApiDocs => "public-api-docs",
            FindingId::UnauthenticatedOperation => "unauthenticated-operation",
            FindingId::AdminOperationExposed => "admin-operation-exposed",
        }
    }

    /// The OWASP API Security Top 10 (2023) category of the finding.
    pub fn owasp(self) -> Owasp {
        match self {
            FindingId::NoRateLimit => owasp::API4,
            FindingId::AdminWithoutAuthentication | FindingId::AdminOperationExposed => owasp::API5,
            FindingId::UnauthenticatedOperation => owasp::API2,
            FindingId::PublicApiDocs => owasp::API9,
            FindingId::WerkzeugDebugger
            | FindingId::DevelopmentServer
            | FindingId::StackTrace
            | FindingId::CorsReflectsOrigin
            | FindingId::TraceEnabled
            | FindingId::ExposedEnvFile
            | FindingId::ExposedGitRepository
            | FindingId::ExposedSourceFile
            | FindingId::ExposedDatabaseDump
            | FindingId::DirectoryListing
            | FindingId::DebugToolbar
            | FindingId::DebugDashboard => owasp::API8,
        }
    }

    /// The flask-harden rule whose fix remediates the finding in code.
    pub fn fix_rule(self) -> Option<&'static str> {
        match self {
            // Debug mode switched on in code or by FLASK_DEBUG.
            FindingId::WerkzeugDebugger => Some("FH101"),
            // `app.run()` serving the public: bind to 127.0.0.1 and put gunicorn in front.
            FindingId::DevelopmentServer => Some("FH104"),
            FindingId::StackTrace => Some("FH501"),
            FindingId::CorsReflectsOrigin => Some("FH201"),
            FindingId::NoRateLimit => Some("FH203"),
            FindingId::DebugToolbar => Some("FH107"),
            FindingId::AdminWithoutAuthentication => Some("FH112"),
            // A view without a guard (FH701 names state-changing ones; the
            // remedy, a guard on the view, is the same).
            FindingId::UnauthenticatedOperation | FindingId::AdminOperationExposed => Some("FH701"),
            // TRACE is answered by a proxy or server, not by Flask code; the
            // exposures are deployment mistakes (what is served), not code.
            FindingId::TraceEnabled
            | FindingId::ExposedEnvFile
            | FindingId::ExposedGitRepository
            | FindingId::ExposedSourceFile
            | FindingId::ExposedDatabaseDump
            | FindingId::DirectoryListing
            | FindingId::DebugDashboard
            | FindingId::PublicApiDocs => None,
        }
    }
}

/// One Flask-specific exposure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub id: FindingId,
    pub severity: ProbeSeverity,
    pub message: String,
}

/// The responses the probes collected (`None` where a probe got no answer).
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// The scanned URL's responses (redirects, then the final one).
    pub main: Vec<Response>,
    /// GET with the foreign `Origin`.
    pub cors_get: Option<Response>,
    /// OPTIONS preflight with the foreign `Origin`.
    pub preflight: Option<Response>,
    /// Plain OPTIONS.
    pub options: Option<Response>,
    pub console: Option<Response>,
    pub debugger_resource: Option<Response>,
    pub not_found: Option<Response>,
    pub malformed_query: Option<Response>,
    /// The extra GETs of `--probe-rate-limit`.
    pub rate_limit_probe: Vec<Response>,
    /// The GETs of [`exposure::PATHS`] (those that got an answer).
    pub exposure: Vec<Response>,
    /// The secured read operations of the API contract and their answers.
    pub contract: Vec<(crate::scan::contract::Operation, Response)>,
    /// Where the contract came from (file or URL).
    pub contract_source: Option<String>,
}

impl Evidence {
    /// Every response collected.
    pub fn all(&self) -> impl Iterator<Item = &Response> {
        self.main
            .iter()
            .chain(&self.cors_get)
            .chain(&self.preflight)
            .chain(&self.options)
            .chain(&self.console)
            .chain(&self.debugger_resource)
            .chain(&self.not_found)
            .chain(&self.malformed_query)
            .chain(&self.rate_limit_probe)
            .chain(&self.exposure)
            .chain(self.contract.iter().map(|(_, r)| r))
    }
}

/// Runs every detector, most severe first.
pub fn detect_all(evidence: &Evidence) -> Vec<Finding> {
    let mut findings: Vec<Finding> = [
        werkzeug_debugger::detect(evidence),
        development_server::detect(evidence),
        stack_trace::detect(evidence),
        cors_reflects_origin::detect(evidence),
        no_rate_limit::detect(evidence),
        trace_enabled::detect(evidence),
        exposed_env_file::detect(evidence),
        exposed_git_repository::detect(evidence),
        exposed_source_file::detect(evidence),
        exposed_database_dump::detect(evidence),
        directory_listing::detect(evidence),
        debug_toolbar::detect(evidence),
        admin_without_authentication::detect(evidence),
        debug_dashboard::detect(evidence),
        public_api_docs::detect(evidence),
    ]
    .into_iter()
    .flatten()
    .chain(unauthenticated_operation::detect(evidence))
    .collect();
    findings.sort_by_key(|f| f.severity);
    findings
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Response builders for detector tests.
    use super::super::headers::Headers;
    use super::Response;

    pub fn response(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        response_at("/", status, headers, body)
    }

    /// A response to a GET of `path` on the test origin.
    pub fn response_at(path: &str, status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        Response {
            url: url::Url::parse("http://127.0.0.1:5000/")
                .unwrap()
                .join(path)
                .unwrap(),
            status,
            headers: Headers::new(headers.iter().copied()),
            body: body.as_bytes().to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::response;
    use super::*;

    #[test]
    fn quiet_app_has_no_findings_and_fixes_are_mapped() {
        let ok = response(
            200,
            &[("Server", "gunicorn"), ("RateLimit-Limit", "100")],
            "{}",
        );
        let evidence = Evidence {
            main: vec![ok],
            ..Evidence::default()
        };
        assert_eq!(detect_all(&evidence), vec![]);
        assert_eq!(FindingId::WerkzeugDebugger.fix_rule(), Some("FH101"));
        assert_eq!(FindingId::CorsReflectsOrigin.fix_rule(), Some("FH201"));
        assert_eq!(FindingId::StackTrace.fix_rule(), Some("FH501"));
        assert_eq!(FindingId::NoRateLimit.fix_rule(), Some("FH203"));
        assert_eq!(FindingId::TraceEnabled.fix_rule(), None);
    }

    #[test]
    fn findings_sorted_by_severity() {
        let evidence = Evidence {
            main: vec![response(
                200,
                &[("Server", "Werkzeug/3.1.9 Python/3.11")],
                "",
            )],
            debugger_resource: Some(response(
                200,
                &[("Content-Type", "text/css; charset=utf-8")],
                "body{}",
            )),
            ..Evidence::default()
        };
        let ids: Vec<_> = detect_all(&evidence).iter().map(|f| f.id).collect();
        assert_eq!(
            ids,
            [
                FindingId::WerkzeugDebugger,
                FindingId::DevelopmentServer,
                FindingId::NoRateLimit
            ]
        );
    }
}
