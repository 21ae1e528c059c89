//! The scanner's HTTP client: a thin layer over `ureq` (rustls with the `ring`
//! provider) that enforces the scan's limits. Only GET, HEAD and OPTIONS are
//! sent; every request has one overall timeout; at most [`BODY_LIMIT`] bytes of
//! a body are read; no cookies are kept; redirects are followed by hand, on
//! the same host only (an off-host target is recorded, never fetched), with a
//! bounded number of hops and loop detection. Certificates are checked against
//! the system roots, or a private CA given with `--ca-cert`; `--insecure`
//! turns verification off.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};
use url::Url;

use super::headers::Headers;
use super::observatory::Response;

/// The most bytes read from any response body.
pub const BODY_LIMIT: u64 = 1024 * 1024;
/// The most redirects followed from one URL.
pub const MAX_REDIRECTS: usize = 10;

/// The methods the scanner sends (it never needs HEAD; nothing else is allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Options,
}

/// How to reach the target.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub timeout: Duration,
    pub ca_cert: Option<PathBuf>,
    pub insecure: bool,
    /// Extra headers sent with every request (`--header`).
    pub headers: Vec<(String, String)>,
    /// The whole scan's budget (`--max-time`): no request starts after it,
    /// and none runs past it.
    pub max_time: Option<Duration>,
}

/// What can go wrong talking to the target.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("cannot read the CA certificate {path}: {source}")]
    CaCertRead {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} holds no PEM certificate")]
    CaCertEmpty { path: PathBuf },
    /// Names the header only: its value may be a credential.
    #[error(
        "invalid --header {0:?}: expected 'Name: value' with a valid header name and a value without control characters (the value is not shown)"
    )]
    BadHeader(String),
    #[error("{url}: connection refused (is the server running and listening on that port?)")]
    Refused { url: Url },
    #[error("{url}: could not connect ({detail})")]
    Connect { url: Url, detail: String },
    #[error("{url}: host not found")]
    HostNotFound { url: Url },
    #[error("{url}: no complete answer within {seconds} s (timeout)")]
    Timeout { url: Url, seconds: u64 },
    #[error("{url}: the server closed the connection without answering")]
    Closed { url: Url },
    #[error("{url}: not sent, the scan reached its --max-time of {seconds} s")]
    Deadline { url: Url, seconds: u64 },
    #[error(
        "{url}: TLS handshake failed ({detail}); for a private CA pass --ca-cert FILE, or --insecure to skip verification"
    )]
    Tls { url: Url, detail: String },
    #[error("{url}: the service did not answer with HTTP ({detail})")]
    NotHttp { url: Url, detail: String },
    #[error(
        "{url}: that port does not speak TLS (it answers plain HTTP); scan {plain} instead, or the port that serves HTTPS"
    )]
    PlainHttpPort { url: Url, plain: String },
    #[error(
        "{from}: the server redirected to {to} but that port does not speak TLS (it answers plain HTTP); serve the app over TLS (e.g. behind a reverse proxy) and scan the https URL, or turn the https redirect off for plain-HTTP runs"
    )]
    RedirectedToPlainPort { from: Url, to: String },
    #[error("{url}: request failed ({detail})")]
    Other { url: Url, detail: String },
    #[error("redirect loop: {url} redirects back to a URL already visited")]
    RedirectLoop { url: Url },
    #[error("more than {MAX_REDIRECTS} redirects starting at {url}")]
    TooManyRedirects { url: Url },
}

/// A response plus whether its body was cut at [`BODY_LIMIT`].
#[derive(Debug, Clone)]
pub struct Exchange {
    pub response: Response,
    pub truncated: bool,
}

/// The result of fetching a URL and following its same-host redirects.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// Every URL visited, the first one included, plus a final off-host target if any.
    pub hops: Vec<Url>,
    /// Every response received along the way (redirects first, the final one last).
    pub responses: Vec<Exchange>,
    /// A redirect to another host that was recorded and not followed.
    pub off_host: Option<Url>,
}

impl Fetched {
    /// The last response received.
    pub fn last(&self) -> &Exchange {
        self.responses
            .last()
            .expect("a fetch has at least one response")
    }
}

/// The scanner's client.
pub struct Client {
    agent: ureq::Agent,
    headers: Vec<(String, String)>,
    timeout: Duration,
    insecure: bool,
    sent: std::cell::Cell<u32>,
    /// The only origin (scheme, host, port) the `--header` values are sent to.
    credentials_origin: Option<url::Origin>,
    /// When the scan's `--max-time` runs out, and that budget in seconds.
    deadline: Option<(std::time::Instant, u64)>,
    /// Requests refused or cut short by the deadline.
    deadline_hits: std::cell::Cell<u32>,
    /// Answers whose body was cut (size limit, stall or broken connection).
    truncated: std::cell::RefCell<Vec<Url>>,
}

impl Client {
    /// Builds a client; fails on an unreadable CA file or a malformed header.
    pub fn new(options: &ClientOptions) -> Result<Self, HttpError> {
        for (name, value) in &options.headers {
            let valid = ureq::http::HeaderName::from_bytes(name.as_bytes()).is_ok()
                && ureq::http::HeaderValue::from_str(value).is_ok();
            if !valid {
                let shown: String = name
                    .chars()
                    .map(|c| if c.is_control() { '?' } else { c })
                    .collect();
                return Err(HttpError::BadHeader(shown));
            }
        }
        let roots = match &options.ca_cert {
            Some(path) => RootCerts::Specific(Arc::new(read_ca(path)?)),
            None => system_roots(),
        };
        let tls = TlsConfig::builder()
            .root_certs(roots)
            .disable_verification(options.insecure)
            .build();
        let config = ureq::Agent::config_builder()
            .tls_config(tls)
            .proxy(None)
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_global(Some(options.timeout))
            .user_agent(concat!("flask-harden-scan/", env!("CARGO_PKG_VERSION")))
            .max_idle_connections(0)
            .build();
        Ok(Self {
            agent: config.new_agent(),
            headers: options.headers.clone(),
            timeout: options.timeout,
            insecure: options.insecure,
            sent: std::cell::Cell::new(0),
            credentials_origin: None,
            deadline: options
                .max_time
                .map(|budget| (std::time::Instant::now() + budget, budget.as_secs().max(1))),
            deadline_hits: std::cell::Cell::new(0),
            truncated: std::cell::RefCell::default(),
        })
    }

    /// How many requests the `--max-time` deadline refused or cut short.
    pub fn deadline_hits(&self) -> u32 {
        self.deadline_hits.get()
    }

    /// The URLs whose answer was cut (body limit, stall, broken connection).
    pub fn truncated(&self) -> Vec<Url> {
        self.truncated.borrow().clone()
    }

    /// Sends the `--header` values only to requests for `target`'s origin
    /// (scheme, host and port): never to another port or scheme of the same
    /// host, nor to anything a redirect names. Without this call they are
    /// never sent.
    pub fn with_credentials_for(mut self, target: &Url) -> Self {
        self.credentials_origin = Some(target.origin());
        self
    }

    /// Whether certificate verification is off.
    pub fn insecure(&self) -> bool {
        self.insecure
    }

    /// How many requests were sent so far.
    pub fn requests_sent(&self) -> u32 {
        self.sent.get()
    }

    /// Sends one request (no redirect handling) and reads at most [`BODY_LIMIT`] bytes of its body.
    pub fn send(
        &self,
        method: Method,
        url: &Url,
        extra: &[(&str, &str)],
    ) -> Result<Exchange, HttpError> {
        // The per-request timeout, shortened to what is left of --max-time.
        let mut timeout = self.timeout;
        let mut deadline_bound = false;
        if let Some((deadline, seconds)) = self.deadline {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                self.deadline_hits.set(self.deadline_hits.get() + 1);
                return Err(HttpError::Deadline {
                    url: url.clone(),
                    seconds,
                });
            }
            if left < timeout {
                timeout = left;
                deadline_bound = true;
            }
        }
        self.sent.set(self.sent.get() + 1);
        let target = url.as_str();
        let builder = match method {
            Method::Get => self.agent.get(target),
            Method::Options => self.agent.options(target),
        };
        let mut builder = builder.config().timeout_global(Some(timeout)).build();
        let credentials = self
            .credentials_origin
            .as_ref()
            .is_some_and(|origin| *origin == url.origin());
        for (name, value) in self
            .headers
            .iter()
            .filter(|_| credentials)
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .chain(extra.iter().copied())
        {
            builder = builder.header(name, value);
        }
        let result = builder.call();
        let response = match result {
            Ok(response) => response,
            Err(err) => {
                let err = self.classify(url, err);
                if deadline_bound
                    && matches!(err, HttpError::Timeout { .. })
                    && let Some((_, seconds)) = self.deadline
                {
                    self.deadline_hits.set(self.deadline_hits.get() + 1);
                    return Err(HttpError::Deadline {
                        url: url.clone(),
                        seconds,
                    });
                }
                return Err(self.plain_http_port(url, err));
            }
        };
        let status = response.status().as_u16();
        let headers = Headers::new(response.headers().iter().map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        }));
        let mut body = Vec::new();
        let reader = response
            .into_body()
            .into_with_config()
            .limit(u64::MAX)
            .reader();
        let mut limited = reader.take(BODY_LIMIT);
        // A body that stalls or breaks off midway is kept as far as it came.
        let broken = limited.read_to_end(&mut body).is_err();
        let truncated = broken || limited.limit() == 0;
        if truncated {
            self.truncated.borrow_mut().push(url.clone());
            if broken && deadline_bound {
                self.deadline_hits.set(self.deadline_hits.get() + 1);
            }
        }
        Ok(Exchange {
            response: Response {
                url: url.clone(),
                status,
                headers,
                body,
            },
            truncated,
        })
    }

    /// GETs `url` and follows redirects that stay on its origin (or upgrade
    /// plain HTTP to HTTPS on the same host).
    pub fn fetch(&self, url: &Url, extra: &[(&str, &str)]) -> Result<Fetched, HttpError> {
        let mut fetched = Fetched {
            hops: vec![url.clone()],
            responses: Vec::new(),
            off_host: None,
        };
        let mut current = url.clone();
        loop {
            let exchange = match self.send(Method::Get, &current, extra) {
                Ok(exchange) => exchange,
                Err(HttpError::PlainHttpPort { url: to, .. })
                    if fetched.hops.len() > 1
                        && fetched.hops[fetched.hops.len() - 2].scheme() == "http" =>
                {
                    return Err(HttpError::RedirectedToPlainPort {
                        from: fetched.hops[fetched.hops.len() - 2].clone(),
                        to: to.to_string(),
                    });
                }
                Err(err) => return Err(err),
            };
            let next = redirect_target(&exchange.response);
            fetched.responses.push(exchange);
            let Some(next) = next else { return Ok(fetched) };
            // Only the same origin, or the upgrade of plain HTTP to HTTPS on
            // the same host, is followed; anything else is recorded.
            let upgrade = current.scheme() == "http"
                && next.scheme() == "https"
                && next.host_str() == current.host_str();
            if next.origin() != url.origin() && next.origin() != current.origin() && !upgrade {
                fetched.hops.push(next.clone());
                fetched.off_host = Some(next);
                return Ok(fetched);
            }
            if fetched.hops.contains(&next) {
                return Err(HttpError::RedirectLoop { url: current });
            }
            if fetched.hops.len() > MAX_REDIRECTS {
                return Err(HttpError::TooManyRedirects { url: url.clone() });
            }
            fetched.hops.push(next.clone());
            current = next;
        }
    }

    /// An https URL whose handshake failed because the port answers plain
    /// HTTP (one GET over http to the same port tells) becomes
    /// [`HttpError::PlainHttpPort`]; any other error is kept.
    fn plain_http_port(&self, url: &Url, err: HttpError) -> HttpError {
        if url.scheme() != "https"
            || !matches!(
                err,
                HttpError::Tls { .. } | HttpError::NotHttp { .. } | HttpError::Closed { .. }
            )
        {
            return err;
        }
        // A certificate the server did present is a TLS server's answer: no
        // plain-HTTP probe (nginx answers plain HTTP on its TLS port with a 400
        // of its own, which would hide the real certificate problem).
        if let HttpError::Tls { detail, .. } = &err
            && detail.to_ascii_lowercase().contains("certificate")
        {
            return err;
        }
        let mut plain = url.clone();
        let port = url.port_or_known_default();
        if plain.set_scheme("http").is_err() || plain.set_port(port).is_err() {
            return err;
        }
        match self.send(Method::Get, &plain, &[]) {
            Ok(_) => HttpError::PlainHttpPort {
                url: url.clone(),
                plain: plain.to_string(),
            },
            Err(_) => err,
        }
    }

    fn classify(&self, url: &Url, err: ureq::Error) -> HttpError {
        let url = url.clone();
        match err {
            ureq::Error::Timeout(_) => HttpError::Timeout {
                url,
                seconds: self.timeout.as_secs().max(1),
            },
            ureq::Error::HostNotFound => HttpError::HostNotFound { url },
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                HttpError::Refused { url }
            }
            ureq::Error::Io(io)
                if io.kind() == std::io::ErrorKind::TimedOut
                    || io.kind() == std::io::ErrorKind::WouldBlock =>
            {
                HttpError::Timeout {
                    url,
                    seconds: self.timeout.as_secs().max(1),
                }
            }
            // "peer disconnected" / end of file: the server hung up, which is
            // no certificate problem (and on plain http there is no handshake).
            ureq::Error::Io(io) if is_closed(&io) => HttpError::Closed { url },
            ureq::Error::Io(io) if url.scheme() == "https" && is_tls_io(&io) => HttpError::Tls {
                url,
                detail: io.to_string(),
            },
            ureq::Error::Io(io) => HttpError::NotHttp {
                url,
                detail: io.to_string(),
            },
            ureq::Error::ConnectionFailed => HttpError::Connect {
                url,
                detail: "connection failed".into(),
            },
            ureq::Error::Protocol(e) => HttpError::NotHttp {
                url,
                detail: e.to_string(),
            },
            ureq::Error::Rustls(e) => HttpError::Tls {
                url,
                detail: e.to_string(),
            },
            ureq::Error::Tls(e) => HttpError::Tls {
                url,
                detail: e.to_string(),
            },
            other => HttpError::Other {
                url,
                detail: other.to_string(),
            },
        }
    }
}

/// rustls reports handshake failures as `io::Error`s that wrap its own error
/// type, which this crate does not name: recognise them by their text.
/// The server accepted the connection and closed it without an answer.
fn is_closed(io: &std::io::Error) -> bool {
    matches!(
        io.kind(),
        std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::UnexpectedEof
            | std::io::ErrorKind::BrokenPipe
    ) || {
        let text = io.to_string().to_ascii_lowercase();
        text.contains("peer disconnected") || text.contains("end of file")
    }
}

fn is_tls_io(io: &std::io::Error) -> bool {
    let text = io.to_string().to_ascii_lowercase();
    ["certificate", "handshake", "alert", "tls", "peer"]
        .iter()
        .any(|w| text.contains(w))
}

/// The target of a redirect response, resolved against its URL.
fn redirect_target(response: &Response) -> Option<Url> {
    if !matches!(response.status, 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = response.headers.first("location")?.trim();
    response.url.join(location).ok()
}

fn read_ca(path: &Path) -> Result<Vec<Certificate<'static>>, HttpError> {
    let pem = std::fs::read(path).map_err(|source| HttpError::CaCertRead {
        path: path.to_path_buf(),
        source,
    })?;
    let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(&pem)
        .filter_map(|item| match item {
            Ok(PemItem::Certificate(cert)) => Some(cert),
            _ => None,
        })
        .collect();
    if certs.is_empty() {
        return Err(HttpError::CaCertEmpty {
            path: path.to_path_buf(),
        });
    }
    Ok(certs)
}

/// The operating system's trusted roots (an empty set if none can be loaded:
/// HTTPS targets then fail with a TLS error that names `--ca-cert`).
fn system_roots() -> RootCerts {
    let found = rustls_native_certs::load_native_certs();
    let certs: Vec<Certificate<'static>> = found
        .certs
        .iter()
        .map(|der| Certificate::from_der(der.as_ref()).to_owned())
        .collect();
    RootCerts::Specific(Arc::new(certs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, location: Option<&str>) -> Response {
        Response {
            url: Url::parse("http://e.com/a/b").unwrap(),
            status,
            headers: Headers::new(location.map(|l| ("Location", l))),
            body: Vec::new(),
        }
    }

    #[test]
    fn redirect_targets_resolve_relative_locations() {
        assert_eq!(
            redirect_target(&response(302, Some("/login")))
                .unwrap()
                .as_str(),
            "http://e.com/login"
        );
        assert_eq!(
            redirect_target(&response(301, Some("c"))).unwrap().as_str(),
            "http://e.com/a/c"
        );
        assert_eq!(
            redirect_target(&response(308, Some("https://e.com/")))
                .unwrap()
                .as_str(),
            "https://e.com/"
        );
        assert_eq!(redirect_target(&response(200, Some("/x"))), None);
        assert_eq!(redirect_target(&response(302, None)), None);
    }

    #[test]
    fn bad_headers_and_ca_files_are_refused() {
        let options = |headers: Vec<(String, String)>, ca: Option<PathBuf>| ClientOptions {
            timeout: Duration::from_secs(1),
            ca_cert: ca,
            insecure: false,
            headers,
            max_time: None,
        };
        assert!(matches!(
            Client::new(&options(vec![("Bad Name".into(), "v".into())], None)),
            Err(HttpError::BadHeader(_))
        ));
        assert!(matches!(
            Client::new(&options(vec![], Some(PathBuf::from("/nonexistent/ca.pem")))),
            Err(HttpError::CaCertRead { .. })
        ));
        let dir = std::env::temp_dir().join(format!("fh-scan-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate").unwrap();
        assert!(matches!(
            Client::new(&options(vec![], Some(empty))),
            Err(HttpError::CaCertEmpty { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
