//! `flask-harden scan`: grade a running Flask app's unauthenticated surface.
//!
//! [`scan`] sends a small, fixed set of GET/HEAD/OPTIONS requests (see
//! [`http`] for the limits), grades the answers with the HTTP Observatory's
//! twelve tests ([`observatory`], [`score`]), looks for Flask-specific
//! exposures ([`probes`]) and returns a [`ScanReport`] that names, for each
//! problem, the `flask-harden fix` rule that remediates it in code.
//!
//! This module probes and grades and holds plain data; it prints nothing.
//! The report is printed by [`crate::output::scan`] (text, JSON) and
//! [`crate::output::scan_sarif`] (SARIF).

pub mod contract;
pub mod cookie;
pub mod csp;
pub mod headers;
pub mod hsts;
pub mod http;
pub mod observatory;
pub mod owasp;
pub mod probes;
pub mod report;
pub mod score;

use url::Url;

use http::{Client, ClientOptions, Exchange, Fetched, HttpError, Method};
use observatory::{CorsProbe, HttpRoute, Observation, Response};
use probes::Evidence;
pub use report::ScanReport;

/// The most extra GETs `--probe-rate-limit` may ask for.
pub const MAX_RATE_LIMIT_PROBES: u32 = 200;

/// What to scan with.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub client: ClientOptions,
    /// Extra GETs sent to look for a 429.
    pub probe_rate_limit: u32,
    /// `--openapi FILE|URL`: the API contract (else discovered on the origin).
    pub openapi: Option<String>,
}

/// Why a scan could not run.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("invalid URL {input:?}: {source}")]
    BadUrl {
        input: String,
        source: url::ParseError,
    },
    #[error("unsupported scheme {0:?}: only http and https URLs can be scanned")]
    Scheme(String),
    #[error(
        "the URL carries credentials (user:password@): they are not sent; pass them with --header 'Authorization: ...' instead"
    )]
    CredentialsInUrl,
    #[error("--probe-rate-limit {0} is above the maximum of {MAX_RATE_LIMIT_PROBES}")]
    TooManyProbes(u32),
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error(transparent)]
    Contract(#[from] contract::ContractError),
}

/// Parses and checks a target URL: http or https, with a host.
pub fn parse_target(input: &str) -> Result<Url, ScanError> {
    let url = Url::parse(input.trim()).map_err(|source| ScanError::BadUrl {
        input: input.to_string(),
        source,
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ScanError::Scheme(url.scheme().to_string()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ScanError::BadUrl {
            input: input.to_string(),
            source: url::ParseError::EmptyHost,
        });
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ScanError::CredentialsInUrl);
    }
    Ok(url)
}

/// Scans `target`. Fails only when the target itself cannot be fetched;
/// a probe that gets no answer is simply left out of the evidence.
pub fn scan(target: &Url, options: &ScanOptions) -> Result<ScanReport, ScanError> {
    if options.probe_rate_limit > MAX_RATE_LIMIT_PROBES {
        return Err(ScanError::TooManyProbes(options.probe_rate_limit));
    }
    let client = Client::new(&options.client)?.with_credentials_for(target);
    let main = client.fetch(target, &[])?;
    let mut notes = Vec::new();
    let auto = main.last().response.clone();
    let tls_unverified = |url: &Url| client.insecure() && url.scheme() == "https";

    let http_fetch = plain_http_counterpart(&client, target, &mut notes);
    let http_route = match (&http_fetch, target.scheme()) {
        (_, "http") => Some(route(&main.hops, &tls_unverified)),
        (Some(fetched), _) => Some(route(&fetched.hops, &tls_unverified)),
        (None, _) => None,
    };
    let fetches: Vec<&Fetched> = [Some(&main), http_fetch.as_ref()]
        .into_iter()
        .flatten()
        .collect();
    notes.extend(
        fetches
            .iter()
            .filter_map(|f| f.off_host.as_ref())
            .map(|off| format!("redirect to another origin recorded, not followed: {off}")),
    );
    let set_cookies: Vec<String> = fetches
        .iter()
        .flat_map(|f| &f.responses)
        .flat_map(|e| e.response.headers.all("set-cookie"))
        .map(str::to_string)
        .collect();

    let mut evidence = collect_evidence(&client, &auto, &main.responses, options.probe_rate_limit);
    let surface = check_contract(&client, &auto.url, options, &mut evidence)?;
    let observation = Observation {
        verified: !tls_unverified(&auto.url),
        http_route,
        cors: evidence.cors_get.as_ref().map(|r| CorsProbe {
            origin: probes::FOREIGN_ORIGIN.to_string(),
            headers: r.headers.clone(),
        }),
        set_cookies,
        current_year: cookie::current_year(),
        auto,
    };
    let tests = observatory::run_all(&observation);
    let findings = probes::detect_all(&evidence);

    let graded = &main.last().response.url;
    if graded != target {
        notes.push(format!(
            "graded the answer of {graded} (redirected from {target} on the same origin or an HTTPS upgrade)"
        ));
    }
    let status = main.last().response.status;
    if !(200..300).contains(&status) {
        notes.push(format!(
            "the URL answered HTTP {status}, not 2xx: the grade is of that answer's headers (the Observatory refuses such URLs; scan a URL that answers 200)"
        ));
    }
    let truncated = client.truncated();
    if !truncated.is_empty() {
        let mut shown: Vec<String> = truncated.iter().take(5).map(Url::to_string).collect();
        if truncated.len() > 5 {
            shown.push(format!("and {} more", truncated.len() - 5));
        }
        notes.push(format!(
            "answers cut off (body over {} bytes, stalled or broken; graded as far as they came): {}",
            http::BODY_LIMIT,
            shown.join(", ")
        ));
    }
    if client.deadline_hits() > 0 {
        notes.push(format!(
            "the scan reached its --max-time: {} request(s) were not sent or were cut short; the report covers the answers received",
            client.deadline_hits()
        ));
    }
    if client.insecure() {
        notes.push("TLS certificate verification was disabled (--insecure)".to_string());
    }
    notes.push(format!("{} requests sent", client.requests_sent()));
    let mut report = ScanReport::new(target, &tests, &findings, notes);
    report.surface = surface;
    Ok(report)
}

/// Loads the API contract (`--openapi`, or the first contract the exposure
/// probes found) and requests every secured read operation without
/// credentials, one at a time, at most [`contract::MAX_OPERATIONS`]. Requests
/// stay on the scanned origin whatever the contract's `servers` say.
fn check_contract(
    client: &Client,
    answered: &Url,
    options: &ScanOptions,
    evidence: &mut Evidence,
) -> Result<Option<contract::Surface>, ScanError> {
    let mut origin = answered.clone();
    origin.set_query(None);
    origin.set_fragment(None);
    origin.set_path("/");
    let loaded = match options.openapi.as_deref() {
        Some(given) if given.starts_with("http://") || given.starts_with("https://") => {
            let url = parse_target(given)?;
            if url.origin() != origin.origin() {
                return Err(contract::ContractError::OtherOrigin(given.to_string()).into());
            }
            let exchange = client.send(Method::Get, &url, &[])?;
            Some(contract::parse(&exchange.response.body, given)?)
        }
        Some(file) => Some(contract::read_file(std::path::Path::new(file))?),
        None => ["/openapi.json", "/swagger.json", "/apispec_1.json"]
            .iter()
            .filter_map(|path| probes::exposure::answer(evidence, path))
            .find_map(|r| contract::parse(&r.body, r.url.as_str()).ok()),
    };
    let Some(loaded) = loaded else {
        return Ok(None);
    };
    let secured: Vec<&contract::Operation> =
        loaded.operations.iter().filter(|o| o.secured).collect();
    for op in secured.iter().take(contract::MAX_OPERATIONS) {
        let mut url = origin.clone();
        url.set_path(&op.path);
        if let Ok(exchange) = client.send(Method::Get, &url, &[]) {
            evidence.contract.push(((*op).clone(), exchange.response));
        }
    }
    evidence.contract_source = Some(loaded.source.clone());
    Ok(Some(contract::Surface {
        contract: loaded.source.clone(),
        operations: loaded.operations.len(),
        secured: secured.len(),
        public: loaded
            .operations
            .iter()
            .filter(|o| !o.secured)
            .map(|o| format!("{} {}", o.method, o.template))
            .collect(),
        skipped: secured.len().saturating_sub(contract::MAX_OPERATIONS),
    }))
}

/// The plain-HTTP entry point of an HTTPS target: port 80 when the target uses
/// the default port (no answer means there is none); not probed otherwise.
fn plain_http_counterpart(
    client: &Client,
    target: &Url,
    notes: &mut Vec<String>,
) -> Option<Fetched> {
    if target.scheme() == "http" {
        return None;
    }
    if let Some(port) = target.port() {
        notes.push(format!(
            "no plain-HTTP counterpart probed for port {port} (redirection is graded only for default ports)"
        ));
        return None;
    }
    let mut plain = target.clone();
    plain.set_scheme("http").ok()?;
    match client.fetch(&plain, &[]) {
        Ok(fetched) => Some(fetched),
        Err(err) => {
            notes.push(format!("no plain-HTTP answer on port 80 ({err})"));
            None
        }
    }
}

fn route(hops: &[Url], tls_unverified: &dyn Fn(&Url) -> bool) -> HttpRoute {
    HttpRoute {
        hops: hops.to_vec(),
        verified: !hops.last().is_some_and(tls_unverified),
    }
}

/// Sends the fixed probes. Each is one request (no redirects followed).
fn collect_evidence(
    client: &Client,
    auto: &Response,
    main: &[Exchange],
    rate_probes: u32,
) -> Evidence {
    let origin_root = {
        let mut root = auto.url.clone();
        root.set_query(None);
        root.set_fragment(None);
        root.set_path("/");
        root
    };
    let with_path = |path: &str| {
        let mut url = origin_root.clone();
        url.set_path(path);
        url
    };
    let with_query = |base: &Url, query: &str| {
        let mut url = base.clone();
        url.set_query(Some(query));
        url
    };
    let get = |url: &Url, headers: &[(&str, &str)]| {
        client
            .send(Method::Get, url, headers)
            .ok()
            .map(|e| e.response)
    };
    let cors_headers = [("Origin", probes::FOREIGN_ORIGIN)];
    let preflight_headers = [
        ("Origin", probes::FOREIGN_ORIGIN),
        ("Access-Control-Request-Method", "GET"),
        ("Access-Control-Request-Headers", "authorization"),
    ];
    let mut evidence = Evidence {
        main: main.iter().map(|e| e.response.clone()).collect(),
        cors_get: get(&auto.url, &cors_headers),
        preflight: client
            .send(Method::Options, &auto.url, &preflight_headers)
            .ok()
            .map(|e| e.response),
        options: client
            .send(Method::Options, &auto.url, &[])
            .ok()
            .map(|e| e.response),
        console: get(&with_path(probes::CONSOLE_PATH), &[]),
        debugger_resource: get(
            &with_query(&origin_root, probes::DEBUGGER_RESOURCE_QUERY),
            &[],
        ),
        not_found: get(&with_path(probes::NOT_FOUND_PATH), &[]),
        malformed_query: get(&with_query(&auto.url, probes::MALFORMED_QUERY), &[]),
        rate_limit_probe: Vec::new(),
        exposure: probes::exposure::PATHS
            .iter()
            .filter_map(|path| get(&with_path(path), &[]))
            .collect(),
        contract: Vec::new(),
        contract_source: None,
    };
    for _ in 0..rate_probes {
        match client.send(Method::Get, &auto.url, &[]).map(|e| e.response) {
            Ok(response) => {
                let limited = response.status == 429;
                evidence.rate_limit_probe.push(response);
                if limited {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    evidence
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_must_be_http_or_https_with_a_host() {
        assert!(parse_target("https://127.0.0.1:8443/api").is_ok());
        assert!(parse_target(" http://localhost:5000 ").is_ok());
        assert!(
            matches!(parse_target("ftp://example.com/"), Err(ScanError::Scheme(s)) if s == "ftp")
        );
        assert!(matches!(
            parse_target("file:///etc/passwd"),
            Err(ScanError::Scheme(_))
        ));
        assert!(matches!(
            parse_target("example.com"),
            Err(ScanError::BadUrl { .. })
        ));
        assert!(matches!(
            parse_target("http://"),
            Err(ScanError::BadUrl { .. })
        ));
    }

    #[test]
    fn too_many_rate_limit_probes_are_refused_before_any_request() {
        let options = ScanOptions {
            client: ClientOptions {
                timeout: std::time::Duration::from_secs(1),
                ca_cert: None,
                insecure: false,
                headers: vec![],
                max_time: None,
            },
            probe_rate_limit: MAX_RATE_LIMIT_PROBES + 1,
            openapi: None,
        };
        let url = parse_target("http://127.0.0.1:9/").unwrap();
        assert!(matches!(
            scan(&url, &options),
            Err(ScanError::TooManyProbes(201))
        ));
    }
}
