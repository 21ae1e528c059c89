//! A response's header list, kept in arrival order with repeated names, and
//! looked up case-insensitively. The Observatory reads most headers as one
//! value with repeats folded into a comma-separated list ([`Headers::combined`]);
//! Set-Cookie needs every value.

/// Response headers as received: (name, value) pairs, names as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    /// Builds the list from (name, value) pairs.
    pub fn new<N: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (N, V)>) -> Self {
        Self(
            pairs
                .into_iter()
                .map(|(n, v)| (n.into(), v.into()))
                .collect(),
        )
    }

    /// Every value of the header `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of the header `name`, if any.
    pub fn first(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name` joined with ", ", as an HTTP client that folds
    /// repeated headers presents them (so a header sent twice reads as a list).
    pub fn combined(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self.all(name).collect();
        (!values.is_empty()).then(|| values.join(", "))
    }

    /// Whether any header's name starts with `prefix` (case-insensitive).
    pub fn has_name_prefix(&self, prefix: &str) -> bool {
        self.0
            .iter()
            .any(|(n, _)| n.len() >= prefix.len() && n[..prefix.len()].eq_ignore_ascii_case(prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_ignore_case_and_keep_repeats() {
        let h = Headers::new([
            ("Set-Cookie", "a=1"),
            ("content-type", "x"),
            ("set-cookie", "b=2"),
        ]);
        assert_eq!(h.all("SET-COOKIE").collect::<Vec<_>>(), ["a=1", "b=2"]);
        assert_eq!(h.first("Content-Type"), Some("x"));
        assert_eq!(h.first("Server"), None);
        assert_eq!(h.combined("set-cookie").as_deref(), Some("a=1, b=2"));
        assert_eq!(h.combined("server"), None);
        assert!(h.has_name_prefix("content-"));
        assert!(!h.has_name_prefix("x-ratelimit"));
    }
}
