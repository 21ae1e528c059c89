//! subresource-integrity: for HTML responses only, every `<script src>` that
//! loads from another site should carry an `integrity` attribute and use
//! HTTPS. Non-HTML responses (a JSON API) are neutral. A response without a
//! Content-Type is treated as HTML. "Another site" compares the last two labels
//! of the host names (no public-suffix list); protocol-relative (`//host/x.js`)
//! sources count as foreign.

use std::sync::LazyLock;

use regex::Regex;

use super::{Observation, Outcome, TestId, TestResult};

const HTML_TYPES: [&str; 2] = ["text/html", "application/xhtml+xml"];

/// Problems from least to most severe.
const ORDER: [Outcome; 6] = [
    Outcome::SriImplementedAndAllScriptsLoadedSecurely,
    Outcome::SriImplementedAndExternalScriptsLoadedSecurely,
    Outcome::SriImplementedButExternalScriptsNotLoadedSecurely,
    Outcome::SriNotImplementedButExternalScriptsLoadedSecurely,
    Outcome::SriNotImplementedAndExternalScriptsNotLoadedSecurely,
    Outcome::SriNotImplementedResponseNotHtml,
];

static SCRIPT_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<script\b([^>]*)>").unwrap());
static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?"#)
        .unwrap()
});

/// One `<script>` tag's relevant attributes.
#[derive(Debug, Default)]
struct Script {
    src: Option<String>,
    integrity: bool,
}

fn scripts(html: &str) -> Vec<Script> {
    SCRIPT_TAG
        .captures_iter(html)
        .map(|tag| {
            let mut script = Script::default();
            for attr in ATTRIBUTE.captures_iter(&tag[1]) {
                let value = attr
                    .get(2)
                    .or(attr.get(3))
                    .or(attr.get(4))
                    .map(|m| m.as_str().trim().to_string());
                match attr[1].to_ascii_lowercase().as_str() {
                    "src" => script.src = value.filter(|v| !v.is_empty()),
                    "integrity" => script.integrity = value.is_some_and(|v| !v.is_empty()),
                    _ => {}
                }
            }
            script
        })
        .collect()
}

/// The registrable-ish domain: the last two labels.
fn site_of(host: &str) -> String {
    let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
    labels[labels.len().saturating_sub(2)..]
        .join(".")
        .to_ascii_lowercase()
}

/// Keeps the worse of the current outcome and a new one.
fn worsen(worst: &mut Option<Outcome>, new: Outcome) {
    let rank = |o: Outcome| ORDER.iter().position(|x| *x == o).unwrap_or(0);
    if worst.is_none_or(|old| rank(new) > rank(old)) {
        *worst = Some(new);
    }
}

pub fn run(obs: &Observation) -> TestResult {
    let id = TestId::SubresourceIntegrity;
    let response = &obs.auto;
    let mime = response
        .headers
        .first("content-type")
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if !mime.is_empty() && !HTML_TYPES.contains(&mime.as_str()) {
        return TestResult::new(id, Outcome::SriNotImplementedResponseNotHtml, true)
            .with_detail(mime);
    }
    let html = String::from_utf8_lossy(&response.body);
    let scripts = scripts(&html);
    if scripts.is_empty() {
        return TestResult::new(id, Outcome::SriNotImplementedButNoScriptsLoaded, true);
    }
    let page_https = response.url.scheme() == "https";
    let page_site = site_of(response.url.host_str().unwrap_or(""));
    let mut worst: Option<Outcome> = None;
    let mut foreign_seen = false;
    for script in &scripts {
        let Some(src) = &script.src else { continue };
        let lower = src.to_ascii_lowercase();
        let protocol_relative = lower.starts_with("//") && !lower.starts_with("///");
        let absolute = lower.starts_with("http://") || lower.starts_with("https://");
        let relative = !protocol_relative && !absolute;
        let same_site = relative
            || (absolute
                && url::Url::parse(src)
                    .ok()
                    .and_then(|u| u.host_str().map(site_of))
                    .is_some_and(|s| s == page_site));
        let secure_scheme = lower.starts_with("https://") || (relative && page_https);
        if relative || (same_site && !protocol_relative) {
            if script.integrity && secure_scheme && worst.is_none() {
                worst = Some(Outcome::SriImplementedAndAllScriptsLoadedSecurely);
            }
            continue;
        }
        foreign_seen = true;
        match (script.integrity, secure_scheme) {
            (true, false) => worsen(
                &mut worst,
                Outcome::SriImplementedButExternalScriptsNotLoadedSecurely,
            ),
            (false, true) => worsen(
                &mut worst,
                Outcome::SriNotImplementedButExternalScriptsLoadedSecurely,
            ),
            (false, false) => worsen(
                &mut worst,
                Outcome::SriNotImplementedAndExternalScriptsNotLoadedSecurely,
            ),
            (true, true) => {}
        }
    }
    let outcome = worst.unwrap_or(if foreign_seen {
        Outcome::SriImplementedAndExternalScriptsLoadedSecurely
    } else {
        Outcome::SriNotImplementedButAllScriptsLoadedFromSecureOrigin
    });
    let pass = matches!(
        outcome,
        Outcome::SriImplementedAndAllScriptsLoadedSecurely
            | Outcome::SriImplementedAndExternalScriptsLoadedSecurely
            | Outcome::SriNotImplementedResponseNotHtml
            | Outcome::SriNotImplementedButAllScriptsLoadedFromSecureOrigin
            | Outcome::SriNotImplementedButNoScriptsLoaded
    );
    TestResult::new(id, outcome, pass)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::observe;
    use super::*;

    fn grade(url: &str, content_type: Option<&str>, body: &str) -> (Outcome, bool) {
        let headers: Vec<(&str, &str)> = content_type
            .map(|c| ("Content-Type", c))
            .into_iter()
            .collect();
        let mut obs = observe(url, &headers);
        obs.auto.body = body.as_bytes().to_vec();
        let r = run(&obs);
        (r.outcome, r.pass)
    }

    const EXTERNAL: &str = r#"<script src="https://cdn.other.net/lib.js"></script>"#;

    #[test]
    fn json_is_not_html_even_with_script_text() {
        assert_eq!(
            grade("https://e.com/", Some("application/json"), EXTERNAL),
            (Outcome::SriNotImplementedResponseNotHtml, true)
        );
    }

    #[test]
    fn html_without_scripts() {
        assert_eq!(
            grade(
                "https://e.com/",
                Some("text/html; charset=utf-8"),
                "<p>hi</p>"
            )
            .0,
            Outcome::SriNotImplementedButNoScriptsLoaded
        );
        // No Content-Type: treated as HTML.
        assert_eq!(
            grade("https://e.com/", None, "").0,
            Outcome::SriNotImplementedButNoScriptsLoaded
        );
    }

    #[test]
    fn same_origin_scripts() {
        let (o, pass) = grade(
            "https://e.com/",
            Some("text/html"),
            r#"<script src="/static/app.js"></script><script>x()</script>"#,
        );
        assert_eq!(
            (o, pass),
            (
                Outcome::SriNotImplementedButAllScriptsLoadedFromSecureOrigin,
                true
            )
        );
        let (o, _) = grade(
            "https://www.e.com/",
            Some("text/html"),
            r#"<SCRIPT integrity='sha384-x' SRC="/a.js">"#,
        );
        assert_eq!(o, Outcome::SriImplementedAndAllScriptsLoadedSecurely);
        let (o, _) = grade(
            "https://www.e.com/",
            Some("text/html"),
            r#"<script src="https://static.e.com/a.js"></script>"#,
        );
        assert_eq!(
            o,
            Outcome::SriNotImplementedButAllScriptsLoadedFromSecureOrigin
        );
    }

    #[test]
    fn external_scripts() {
        assert_eq!(
            grade("https://e.com/", Some("text/html"), EXTERNAL),
            (
                Outcome::SriNotImplementedButExternalScriptsLoadedSecurely,
                false
            )
        );
        let with_sri = r#"<script src="https://cdn.other.net/lib.js" integrity="sha384-abc" crossorigin="anonymous"></script>"#;
        assert_eq!(
            grade("https://e.com/", Some("text/html"), with_sri),
            (
                Outcome::SriImplementedAndExternalScriptsLoadedSecurely,
                true
            )
        );
        let plain = r#"<script src="http://cdn.other.net/lib.js"></script>"#;
        assert_eq!(
            grade("https://e.com/", Some("text/html"), plain).0,
            Outcome::SriNotImplementedAndExternalScriptsNotLoadedSecurely
        );
        let plain_sri =
            r#"<script src="http://cdn.other.net/lib.js" integrity="sha384-abc"></script>"#;
        assert_eq!(
            grade("https://e.com/", Some("text/html"), plain_sri).0,
            Outcome::SriImplementedButExternalScriptsNotLoadedSecurely
        );
        let relative_protocol = r#"<script src="//cdn.other.net/lib.js"></script>"#;
        assert_eq!(
            grade("https://e.com/", Some("text/html"), relative_protocol).0,
            Outcome::SriNotImplementedAndExternalScriptsNotLoadedSecurely
        );
    }

    #[test]
    fn worst_external_script_decides() {
        let body = format!("{EXTERNAL}<script src=\"http://x.org/a.js\"></script>");
        assert_eq!(
            grade("https://e.com/", Some("text/html"), &body).0,
            Outcome::SriNotImplementedAndExternalScriptsNotLoadedSecurely
        );
    }
}
