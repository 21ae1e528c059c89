//! `Set-Cookie` parsing: the cookie's name and the attributes the Observatory
//! grades (Secure, HttpOnly, SameSite), plus whether the header deletes the
//! cookie (`Max-Age` of zero or less, or an `Expires` date in a past year), so
//! that a jar of the cookies a client would keep can be built.

/// One parsed `Set-Cookie` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCookie {
    pub name: String,
    pub secure: bool,
    pub http_only: bool,
    /// The SameSite value as written (lower-cased), if the attribute is present.
    pub same_site: Option<String>,
    /// True when the header removes the cookie instead of setting it.
    pub deletes: bool,
}

impl SetCookie {
    /// A valid SameSite value (`strict`, `lax` or `none`) is set.
    pub fn has_valid_same_site(&self) -> bool {
        matches!(self.same_site.as_deref(), Some("strict" | "lax" | "none"))
    }

    /// The attribute is present with a missing or unknown value.
    pub fn has_invalid_same_site(&self) -> bool {
        self.same_site.is_some() && !self.has_valid_same_site()
    }

    /// The name suggests a session or login identifier.
    pub fn is_session(&self) -> bool {
        let name = self.name.to_ascii_lowercase();
        name.contains("sess") || name.contains("login")
    }

    /// The name suggests an anti-CSRF token.
    pub fn is_anti_csrf(&self) -> bool {
        self.name.to_ascii_lowercase().contains("csrf")
    }
}

/// Parses one header value; `None` when it has no `name=` pair.
pub fn parse(header: &str, current_year: i64) -> Option<SetCookie> {
    let mut parts = header.split(';');
    let pair = parts.next()?.trim();
    let (name, _) = pair.split_once('=')?;
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let mut cookie = SetCookie {
        name: name.to_string(),
        secure: false,
        http_only: false,
        same_site: None,
        deletes: false,
    };
    for attribute in parts {
        let (key, value) = match attribute.split_once('=') {
            Some((k, v)) => (k.trim(), v.trim()),
            None => (attribute.trim(), ""),
        };
        match key.to_ascii_lowercase().as_str() {
            "secure" => cookie.secure = true,
            "httponly" => cookie.http_only = true,
            "samesite" => cookie.same_site = Some(value.to_ascii_lowercase()),
            "max-age" => cookie.deletes |= value.parse::<i64>().is_ok_and(|age| age <= 0),
            "expires" => {
                cookie.deletes |= expires_year(value).is_some_and(|year| year < current_year)
            }
            _ => {}
        }
    }
    Some(cookie)
}

/// The four-digit year in an HTTP date (`Thu, 01 Jan 1970 00:00:00 GMT`).
fn expires_year(date: &str) -> Option<i64> {
    date.split(|c: char| !c.is_ascii_digit())
        .find(|part| part.len() == 4)
        .and_then(|part| part.parse().ok())
}

/// The cookies a client keeps after all these headers, in first-set order;
/// a later header for the same name replaces or deletes the earlier one.
pub fn jar<'a>(headers: impl IntoIterator<Item = &'a str>, current_year: i64) -> Vec<SetCookie> {
    let mut jar: Vec<SetCookie> = Vec::new();
    for cookie in headers.into_iter().filter_map(|h| parse(h, current_year)) {
        jar.retain(|c| c.name != cookie.name);
        if !cookie.deletes {
            jar.push(cookie);
        }
    }
    jar
}

/// The current calendar year (UTC), close enough for cookie expiry.
pub fn current_year() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    1970 + (secs / 31_556_952) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_read_case_insensitively() {
        let c = parse("session=abc; Path=/; SECURE; httponly; SameSite=Lax", 2026).unwrap();
        assert_eq!(c.name, "session");
        assert!(c.secure && c.http_only);
        assert_eq!(c.same_site.as_deref(), Some("lax"));
        assert!(c.has_valid_same_site() && !c.has_invalid_same_site());
        assert!(c.is_session() && !c.is_anti_csrf());
    }

    #[test]
    fn flask_default_session_cookie_has_only_httponly() {
        let c = parse("session=eyJ2IjoxfQ.Z.x; HttpOnly; Path=/", 2026).unwrap();
        assert!(c.http_only && !c.secure && c.same_site.is_none());
    }

    #[test]
    fn invalid_or_empty_same_site_is_flagged() {
        assert!(
            parse("a=1; SameSite=Sometimes", 2026)
                .unwrap()
                .has_invalid_same_site()
        );
        assert!(
            parse("a=1; SameSite", 2026)
                .unwrap()
                .has_invalid_same_site()
        );
        assert!(
            parse("a=1; SameSite=", 2026)
                .unwrap()
                .has_invalid_same_site()
        );
        assert!(!parse("a=1", 2026).unwrap().has_invalid_same_site());
    }

    #[test]
    fn names_classify_session_login_and_csrf() {
        assert!(parse("PHPSESSID=1", 2026).unwrap().is_session());
        assert!(parse("remember_login=1", 2026).unwrap().is_session());
        assert!(parse("csrf_token=1", 2026).unwrap().is_anti_csrf());
        assert!(!parse("theme=dark", 2026).unwrap().is_session());
    }

    #[test]
    fn headers_without_a_pair_are_ignored() {
        assert_eq!(parse("justtext", 2026), None);
        assert_eq!(parse("=v; Secure", 2026), None);
    }

    #[test]
    fn jar_replaces_and_deletes() {
        let jar = jar(
            [
                "a=1",
                "b=1",
                "a=2; Secure",
                "b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0",
                "c=1; Max-Age=-1",
                "d=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
            ],
            2026,
        );
        let names: Vec<_> = jar.iter().map(|c| (c.name.as_str(), c.secure)).collect();
        assert_eq!(names, [("a", true), ("d", false)]);
    }

    #[test]
    fn current_year_is_plausible() {
        assert!(current_year() >= 2025);
    }
}
