//! `Strict-Transport-Security` parsing with the Observatory's rules: the first
//! header value is read, a comma means the header was sent twice (invalid),
//! `max-age` is required, and `includeSubDomains` / `preload` are noted.
//!
//! Deliberate difference: a `max-age` that is not a number (empty, or junk)
//! makes the header invalid here, where the reference implementation's integer
//! parsing would let it through; a quoted number (`max-age="31536000"`, which
//! RFC 6797 allows) is accepted.

/// Six months in seconds as the Observatory counts them (180 days).
pub const SIX_MONTHS: u64 = 15_552_000;

/// A parsed HSTS header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hsts {
    pub max_age: u64,
    pub include_subdomains: bool,
    pub preload: bool,
}

/// Why an HSTS header is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HstsError {
    #[error("the header is set more than once")]
    Repeated,
    #[error("max-age is missing")]
    MissingMaxAge,
    #[error("max-age {0:?} is not a number of seconds")]
    BadMaxAge(String),
}

/// Parses one header value.
pub fn parse(header: &str) -> Result<Hsts, HstsError> {
    if header.contains(',') {
        return Err(HstsError::Repeated);
    }
    let mut max_age = None;
    let mut include_subdomains = false;
    let mut preload = false;
    for directive in header.split(';').map(|d| d.trim().to_ascii_lowercase()) {
        if let Some(value) = directive.strip_prefix("max-age=") {
            let value = value.trim().trim_matches('"');
            let seconds = value
                .parse::<u64>()
                .map_err(|_| HstsError::BadMaxAge(value.to_string()))?;
            max_age = Some(seconds);
        } else if directive == "includesubdomains" {
            include_subdomains = true;
        } else if directive == "preload" {
            preload = true;
        }
    }
    let max_age = max_age.ok_or(HstsError::MissingMaxAge)?;
    Ok(Hsts {
        max_age,
        include_subdomains,
        preload,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_years_with_subdomains_and_preload() {
        let h = parse("max-age=63072000; includeSubDomains; preload").unwrap();
        assert_eq!(
            h,
            Hsts {
                max_age: 63_072_000,
                include_subdomains: true,
                preload: true
            }
        );
    }

    #[test]
    fn case_spaces_and_quotes() {
        let h = parse(" MAX-AGE=\"15552000\" ;INCLUDESUBDOMAINS").unwrap();
        assert_eq!(h.max_age, SIX_MONTHS);
        assert!(h.include_subdomains && !h.preload);
    }

    #[test]
    fn zero_max_age_parses() {
        assert_eq!(parse("max-age=0").unwrap().max_age, 0);
    }

    #[test]
    fn invalid_headers() {
        assert_eq!(parse("includeSubDomains"), Err(HstsError::MissingMaxAge));
        assert_eq!(parse("max-age=1, max-age=2"), Err(HstsError::Repeated));
        assert!(matches!(parse("max-age="), Err(HstsError::BadMaxAge(_))));
        assert!(matches!(parse("max-age=-5"), Err(HstsError::BadMaxAge(_))));
        assert!(matches!(
            parse("max-age=12abc"),
            Err(HstsError::BadMaxAge(_))
        ));
        assert_eq!(parse(""), Err(HstsError::MissingMaxAge));
    }
}
