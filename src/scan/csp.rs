//! Content-Security-Policy parsing with the HTTP Observatory's rules: several
//! header values (or comma-separated policies) form a policy list; directive
//! names are case-insensitive, sources are lower-cased, a `-src` directive with
//! no sources means `'none'`, and a directive repeated inside one policy makes
//! the header invalid (except `report-uri`/`report-to`, which only earn a
//! warning). When several policies are present a source counts only when every
//! policy that names the directive allows it (a simplified intersection).

use std::collections::{BTreeMap, BTreeSet};

/// The parsed policy: directive -> set of sources.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Csp {
    pub directives: BTreeMap<String, BTreeSet<String>>,
    /// Directives that were repeated where repeats are tolerated (report-uri/report-to).
    pub duplicate_warnings: BTreeSet<String>,
}

/// Why a policy list could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CspError {
    #[error("policy {0:?} is too short to hold a directive")]
    TooShort(String),
    #[error("directive {0} appears twice in one policy")]
    DuplicateDirective(String),
}

/// The shortest policy accepted (one less than the length of `img-src`).
const SHORTEST_POLICY: usize = "img-src".len() - 1;
const TOLERATED_DUPLICATES: [&str; 2] = ["report-uri", "report-to"];

/// Splits raw header values into single policies (a comma separates policies).
pub fn split_policies<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    values
        .into_iter()
        .flat_map(|v| v.split(',').map(|p| p.trim().to_string()))
        .collect()
}

/// Parses a list of policies into one effective policy.
pub fn parse(policies: &[String]) -> Result<Csp, CspError> {
    let mut csp = Csp::default();
    for (index, raw) in policies.iter().enumerate() {
        let policy: String = raw.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        let policy = policy.trim();
        if policy.len() < SHORTEST_POLICY {
            return Err(CspError::TooShort(policy.to_string()));
        }
        let mut seen = BTreeSet::new();
        for entry in policy.split(';') {
            let mut words = entry.split_whitespace();
            let Some(name) = words.next() else { continue };
            let name = name.to_ascii_lowercase();
            if !seen.insert(name.clone()) {
                if TOLERATED_DUPLICATES.contains(&name.as_str()) {
                    csp.duplicate_warnings.insert(name);
                    continue;
                }
                return Err(CspError::DuplicateDirective(name));
            }
            let mut sources: BTreeSet<String> = words.map(str::to_lowercase).collect();
            if sources.is_empty() && name.ends_with("-src") {
                sources.insert("'none'".to_string());
            }
            let sources = drop_redundant(sources);
            match csp.directives.get_mut(&name) {
                Some(existing) if index > 0 => {
                    let kept = intersect(existing, &sources);
                    *existing = kept;
                }
                _ => {
                    csp.directives.insert(name, sources);
                }
            }
        }
    }
    for sources in csp.directives.values_mut() {
        if sources.is_empty() {
            sources.insert("'none'".to_string());
        }
    }
    Ok(csp)
}

/// Inside one policy, a source that merely extends another (`https://a.com/x`
/// after `https://a.com/`) adds nothing: keep the shorter one.
fn drop_redundant(sources: BTreeSet<String>) -> BTreeSet<String> {
    let mut kept: BTreeSet<String> = BTreeSet::new();
    for source in sources {
        if !kept.iter().any(|k| source.starts_with(k.as_str())) {
            kept.insert(source);
        }
    }
    kept
}

/// Sources allowed by both policies: equal, or one a path prefix of the other
/// (the narrower one is what both allow).
fn intersect(a: &BTreeSet<String>, b: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for x in a {
        for y in b {
            if x == y || (x.ends_with('/') && y.starts_with(x.as_str())) {
                out.insert(y.clone());
            } else if y.ends_with('/') && x.starts_with(y.as_str()) {
                out.insert(x.clone());
            }
        }
    }
    out
}

impl Csp {
    /// The sources of `directive`, if the policy names it.
    pub fn get(&self, directive: &str) -> Option<&BTreeSet<String>> {
        self.directives.get(directive)
    }

    /// The sources of `directive`, falling back to `default-src`.
    pub fn effective(&self, directive: &str) -> Option<&BTreeSet<String>> {
        self.get(directive).or_else(|| self.get("default-src"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_one(policy: &str) -> Result<Csp, CspError> {
        parse(&split_policies([policy]))
    }

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn directives_are_case_insensitive_and_sources_lowercased() {
        let csp = parse_one("Default-Src 'SELF' HTTPS://Example.com; img-src *").unwrap();
        assert_eq!(
            csp.get("default-src"),
            Some(&set(&["'self'", "https://example.com"]))
        );
        assert_eq!(csp.get("img-src"), Some(&set(&["*"])));
    }

    #[test]
    fn empty_source_list_means_none() {
        let csp =
            parse_one("default-src; frame-ancestors 'self'; upgrade-insecure-requests").unwrap();
        assert_eq!(csp.get("default-src"), Some(&set(&["'none'"])));
        // Not a source list: stays empty and is then forced to 'none' as the Observatory does.
        assert!(csp.get("upgrade-insecure-requests").is_some());
    }

    #[test]
    fn duplicate_directive_is_invalid_but_duplicate_report_uri_only_warns() {
        assert_eq!(
            parse_one("script-src 'self'; script-src 'none'"),
            Err(CspError::DuplicateDirective("script-src".into()))
        );
        let csp = parse_one("default-src 'none'; report-uri /a; report-uri /b").unwrap();
        assert!(csp.duplicate_warnings.contains("report-uri"));
    }

    #[test]
    fn too_short_policy_is_invalid() {
        assert!(matches!(parse_one("abc"), Err(CspError::TooShort(_))));
        assert!(matches!(
            parse_one("default-src 'none',"),
            Err(CspError::TooShort(_))
        ));
    }

    #[test]
    fn trailing_semicolons_and_newlines_are_ignored() {
        let csp = parse_one("default-src 'none';;\r\n frame-ancestors 'none';").unwrap();
        assert_eq!(csp.directives.len(), 2);
    }

    #[test]
    fn longer_source_under_a_shorter_one_is_dropped() {
        let csp = parse_one("script-src https://a.com/ https://a.com/lib/x.js").unwrap();
        assert_eq!(csp.get("script-src"), Some(&set(&["https://a.com/"])));
    }

    #[test]
    fn two_policies_allow_only_what_both_allow() {
        let csp = parse(&split_policies([
            "script-src 'self' https://a.com/",
            "script-src https://a.com/lib/ 'unsafe-inline'",
        ]))
        .unwrap();
        assert_eq!(csp.get("script-src"), Some(&set(&["https://a.com/lib/"])));
        // A directive named only by the second policy is taken as is.
        let csp = parse(&split_policies([
            "default-src 'self', frame-ancestors 'none'",
        ]))
        .unwrap();
        assert_eq!(csp.get("frame-ancestors"), Some(&set(&["'none'"])));
    }

    #[test]
    fn disjoint_policies_leave_none() {
        let csp = parse(&split_policies([
            "script-src https://a.com",
            "script-src https://b.com",
        ]))
        .unwrap();
        assert_eq!(csp.get("script-src"), Some(&set(&["'none'"])));
    }

    #[test]
    fn effective_falls_back_to_default_src() {
        let csp = parse_one("default-src 'none'; style-src 'self'").unwrap();
        assert_eq!(csp.effective("script-src"), Some(&set(&["'none'"])));
        assert_eq!(csp.effective("style-src"), Some(&set(&["'self'"])));
        assert_eq!(
            parse_one("img-src 'self'").unwrap().effective("script-src"),
            None
        );
    }
}
