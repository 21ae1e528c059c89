//! The OWASP API Security Top 10 (2023) categories that scan findings and
//! failed tests map to.

use serde::Serialize;

/// One category of the OWASP API Security Top 10, 2023 edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Owasp {
    /// `API8:2023`.
    pub id: &'static str,
    /// `Security Misconfiguration`.
    pub name: &'static str,
}

impl Owasp {
    /// `API8:2023 Security Misconfiguration`.
    pub fn label(self) -> String {
        format!("{} {}", self.id, self.name)
    }
}

/// API1:2023 Broken Object Level Authorization.
pub const API1: Owasp = Owasp {
    id: "API1:2023",
    name: "Broken Object Level Authorization",
};
/// API2:2023 Broken Authentication.
pub const API2: Owasp = Owasp {
    id: "API2:2023",
    name: "Broken Authentication",
};
/// API4:2023 Unrestricted Resource Consumption.
pub const API4: Owasp = Owasp {
    id: "API4:2023",
    name: "Unrestricted Resource Consumption",
};
/// API5:2023 Broken Function Level Authorization.
pub const API5: Owasp = Owasp {
    id: "API5:2023",
    name: "Broken Function Level Authorization",
};
/// API8:2023 Security Misconfiguration.
pub const API8: Owasp = Owasp {
    id: "API8:2023",
    name: "Security Misconfiguration",
};
/// API9:2023 Improper Inventory Management.
pub const API9: Owasp = Owasp {
    id: "API9:2023",
    name: "Improper Inventory Management",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(API8.label(), "API8:2023 Security Misconfiguration");
        assert_eq!(API4.label(), "API4:2023 Unrestricted Resource Consumption");
    }
}
