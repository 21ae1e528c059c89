//! `flask-harden scan URL`: grade a running app and point at the fixes.
//!
//! Argument handling and orchestration only: the scan is [`crate::scan`],
//! the printing [`crate::output::scan`] and [`crate::output::scan_sarif`].

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::ExitStatus;
use crate::output::{scan as output, scan_sarif};
use crate::scan::http::ClientOptions;
use crate::scan::score::Grade;
use crate::scan::{self, MAX_RATE_LIMIT_PROBES, ScanOptions};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Grade and score, the tests, findings and advice (coloured on a terminal).
    Text,
    /// One JSON object (url, score, grade, tests, findings, each with its OWASP category).
    Json,
    /// SARIF 2.1.0 (one result per finding and failed test, located at the URL).
    Sarif,
}

/// The arguments of `flask-harden scan` (the help text is on `Command::Scan`).
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The URL to scan (http or https).
    pub url: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Exit with code 1 when the grade is below GRADE (A+, A, A-, B+, ... F).
    #[arg(long, value_name = "GRADE", value_parser = parse_grade)]
    pub fail_under: Option<Grade>,

    /// Trust this PEM CA certificate (a private CA) instead of the system roots.
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,

    /// Do not verify TLS certificates (said in the report; HSTS then fails).
    #[arg(long, conflicts_with = "ca_cert")]
    pub insecure: bool,

    /// Send this header with every request, e.g. 'Authorization: Bearer ...' (repeatable).
    /// (Parsed in `run`, not by clap: clap's errors would echo the value.)
    #[arg(long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// Per-request timeout in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub timeout: u64,

    /// The whole scan's time budget in seconds: no request starts after it and
    /// none runs past it; the report says what was left out.
    #[arg(long, value_name = "SECS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub max_time: u64,

    /// Send N extra GETs to see whether a 429 comes (at most 200).
    #[arg(long, value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u32).range(0..=MAX_RATE_LIMIT_PROBES as i64))]
    pub probe_rate_limit: u32,

    /// The API contract (OpenAPI 3 / Swagger 2 JSON, a file or a URL on the
    /// scanned origin): every GET operation it marks as secured is requested
    /// without credentials. Without it, /openapi.json, /swagger.json and
    /// /apispec_1.json are tried.
    #[arg(long, value_name = "FILE|URL")]
    pub openapi: Option<String>,

    /// Never colour the output (also when NO_COLOR is set).
    #[arg(long)]
    pub no_color: bool,
}

fn parse_grade(s: &str) -> Result<Grade, String> {
    s.parse()
        .map_err(|e: scan::score::GradeError| e.to_string())
}

/// `Name: value`. Errors never echo the argument: it is usually a credential.
fn parse_header(s: &str) -> Result<(String, String), String> {
    let (name, value) = s.split_once(':').ok_or_else(|| {
        "invalid --header: expected 'Name: value' (no ':' found; the argument is not shown, it may hold a credential)"
            .to_string()
    })?;
    let name = name.trim();
    if name.is_empty() {
        return Err(
            "invalid --header: missing header name before ':' (the value is not shown)".to_string(),
        );
    }
    if !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
        return Err(
            "invalid --header: the name must be printable ASCII without spaces (the argument is not shown)"
                .to_string(),
        );
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(format!(
            "invalid --header {name:?}: the value contains control characters (CR, LF, ...); it is not shown"
        ));
    }
    Ok((name.to_string(), value.trim().to_string()))
}

/// Runs the scan and prints the report.
pub fn run(args: ScanArgs) -> anyhow::Result<ExitStatus> {
    let target = scan::parse_target(&args.url)?;
    let headers = args
        .headers
        .iter()
        .map(|h| parse_header(h))
        .collect::<Result<Vec<_>, String>>()
        .map_err(anyhow::Error::msg)?;
    let options = ScanOptions {
        client: ClientOptions {
            timeout: Duration::from_secs(args.timeout),
            ca_cert: args.ca_cert,
            insecure: args.insecure,
            headers,
            max_time: Some(Duration::from_secs(args.max_time)),
        },
        probe_rate_limit: args.probe_rate_limit,
        openapi: args.openapi,
    };
    if options.client.insecure {
        output::write_insecure_warning(&mut std::io::stderr().lock())?;
    }
    let report = scan::scan(&target, &options)?;
    let color = crate::output::color::enabled(args.no_color, args.format == Format::Text);
    let mut out = crate::output::color::stdout(color);
    match args.format {
        Format::Text => output::write_text(&mut out, &report, color)?,
        Format::Json => output::write_json(&mut out, &report)?,
        Format::Sarif => scan_sarif::write(&report, &mut out)?,
    }
    out.flush()?;
    Ok(match args.fail_under {
        Some(bar) if report.grade < bar => ExitStatus::Failure,
        _ => ExitStatus::Success,
    })
}
