//! The embedded, dated advisory table of Flask-stack vulnerabilities
//! (`advisories.toml`, compiled into the binary) and version matching against it.
//!
//! A version is affected by an advisory when any of the advisory's PEP 440
//! specifier sets contains it. The fix target for a version is the smallest
//! first-fixed version, above it, that no advisory of the same package affects:
//! raising a pin there removes every known CVE without introducing another.

use std::str::FromStr;
use std::sync::LazyLock;

use pep440_rs::{Operator, Version, VersionSpecifier, VersionSpecifiers};

use super::requirement::normalize_name;

/// The advisory data, as shipped.
pub const ADVISORIES_TOML: &str = include_str!("advisories.toml");

/// One known vulnerability of one package.
#[derive(Debug, Clone)]
pub struct Advisory {
    /// PEP 503 normalised package name.
    pub package: String,
    pub cve: String,
    pub ghsa: Option<String>,
    /// The version is affected when any of these sets contains it.
    pub affected: Vec<VersionSpecifiers>,
    /// The first fixed version of each affected branch.
    pub fixed: Vec<Version>,
    pub summary: String,
    /// Where the ranges were verified.
    pub source: String,
}

impl Advisory {
    /// Whether `version` is affected. Ranges are read as plain version order,
    /// as advisory databases mean them: `<2.4.0` includes `2.4.0rc1` (unlike
    /// PEP 440 specifier matching, which excludes pre-releases of `2.4.0`).
    pub fn affects(&self, version: &Version) -> bool {
        self.affected
            .iter()
            .any(|set| set.iter().all(|spec| in_order(spec, version)))
    }
}

fn in_order(spec: &VersionSpecifier, version: &Version) -> bool {
    let bound = spec.version();
    let version = version.clone().without_local();
    match spec.operator() {
        Operator::LessThan => version < *bound,
        Operator::LessThanEqual => version <= *bound,
        Operator::GreaterThan => version > *bound,
        Operator::GreaterThanEqual => version >= *bound,
        Operator::NotEqual => version != *bound,
        Operator::Equal | Operator::ExactEqual => version == *bound,
        // Wildcards and `~=` keep their PEP 440 meaning.
        _ => spec.contains(&version),
    }
}

/// The whole table with the date its data was checked.
#[derive(Debug, Clone)]
pub struct AdvisoryTable {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub advisories: Vec<Advisory>,
    /// PEP 503 normalised names of packages checked on `date` and found
    /// without a known advisory (`checked_clean`); none has an entry in
    /// `advisories`.
    pub checked_clean: Vec<String>,
}

/// Why advisory data could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum AdvisoryTableError {
    #[error("advisory data is not valid TOML: {0}")]
    Toml(#[from] toml_edit::TomlError),
    #[error("advisory data has no `date`")]
    MissingDate,
    #[error("advisory #{index}: missing or invalid `{field}`")]
    Field { index: usize, field: &'static str },
    #[error("advisory #{index}: invalid version `{value}`: {message}")]
    Version {
        index: usize,
        value: String,
        message: String,
    },
    #[error("`checked_clean` must be an array of package names")]
    CheckedClean,
}

/// The table compiled into the binary. Its validity is checked by the tests
/// of this module, so loading it cannot fail at run time.
pub fn table() -> &'static AdvisoryTable {
    static TABLE: LazyLock<AdvisoryTable> = LazyLock::new(|| {
        parse_table(ADVISORIES_TOML).expect("the embedded advisories.toml is valid (tested)")
    });
    &TABLE
}

/// Parses advisory data in the `advisories.toml` format.
pub fn parse_table(text: &str) -> Result<AdvisoryTable, AdvisoryTableError> {
    let doc: toml_edit::DocumentMut = text.parse()?;
    let (date, advisories) = dated_entries_of(
        &doc,
        "advisory",
        AdvisoryTableError::MissingDate,
        |index, field| AdvisoryTableError::Field { index, field },
        parse_entry,
    )?;
    let checked_clean = match doc.get("checked_clean") {
        None => Vec::new(),
        Some(item) => {
            let names: Option<Vec<String>> = item.as_array().and_then(|array| {
                array
                    .iter()
                    .map(|v| v.as_str().map(normalize_name))
                    .collect()
            });
            names.ok_or(AdvisoryTableError::CheckedClean)?
        }
    };
    Ok(AdvisoryTable {
        date,
        advisories,
        checked_clean,
    })
}

/// Reads a dated data file embedded in flask-harden: its `date` string and
/// every `[[key]]` entry, each parsed by `entry` with its index. `field`
/// builds the error for a `key` that is not an array of tables.
pub(crate) fn parse_dated_entries<T, E: From<toml_edit::TomlError>>(
    text: &str,
    key: &'static str,
    missing_date: E,
    field: impl Fn(usize, &'static str) -> E,
    entry: impl Fn(usize, &toml_edit::Table) -> Result<T, E>,
) -> Result<(String, Vec<T>), E> {
    let doc: toml_edit::DocumentMut = text.parse()?;
    dated_entries_of(&doc, key, missing_date, field, entry)
}

/// [`parse_dated_entries`] on a parsed document.
fn dated_entries_of<T, E>(
    doc: &toml_edit::DocumentMut,
    key: &'static str,
    missing_date: E,
    field: impl Fn(usize, &'static str) -> E,
    entry: impl Fn(usize, &toml_edit::Table) -> Result<T, E>,
) -> Result<(String, Vec<T>), E> {
    let date = doc
        .get("date")
        .and_then(|d| d.as_str())
        .ok_or(missing_date)?
        .to_string();
    let mut entries = Vec::new();
    if let Some(items) = doc.get(key) {
        let items = items.as_array_of_tables().ok_or_else(|| field(0, key))?;
        for (index, item) in items.iter().enumerate() {
            entries.push(entry(index, item)?);
        }
    }
    Ok((date, entries))
}

fn parse_entry(index: usize, entry: &toml_edit::Table) -> Result<Advisory, AdvisoryTableError> {
    let string = |field: &'static str| -> Result<String, AdvisoryTableError> {
        entry
            .get(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .ok_or(AdvisoryTableError::Field { index, field })
    };
    let strings = |field: &'static str| -> Result<Vec<String>, AdvisoryTableError> {
        let array = entry
            .get(field)
            .and_then(|v| v.as_array())
            .ok_or(AdvisoryTableError::Field { index, field })?;
        let values: Option<Vec<String>> = array
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect();
        match values {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(AdvisoryTableError::Field { index, field }),
        }
    };
    let affected = strings("affected")?
        .into_iter()
        .map(|s| {
            VersionSpecifiers::from_str(&s).map_err(|e| AdvisoryTableError::Version {
                index,
                value: s.clone(),
                message: e.to_string(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let fixed = strings("fixed")?
        .into_iter()
        .map(|s| {
            Version::from_str(&s).map_err(|e| AdvisoryTableError::Version {
                index,
                value: s.clone(),
                message: e.to_string(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Advisory {
        package: normalize_name(&string("package")?),
        cve: string("cve")?,
        ghsa: entry
            .get("ghsa")
            .and_then(|v| v.as_str())
            .map(str::to_string),
        affected,
        fixed,
        summary: string("summary")?,
        source: string("source")?,
    })
}

impl AdvisoryTable {
    /// The advisories of one package (any spelling: the name is PEP 503 normalised).
    pub fn for_package(&self, package: &str) -> impl Iterator<Item = &Advisory> {
        let package = normalize_name(package);
        self.advisories.iter().filter(move |a| a.package == package)
    }

    /// Whether the table knows the package at all.
    pub fn covers(&self, package: &str) -> bool {
        self.for_package(package).next().is_some()
    }

    /// Whether the package was checked on the table's date and found without
    /// a known advisory (`checked_clean`; any spelling). Only the tests ask:
    /// the list records what was checked, FH601 has nothing to say of it.
    #[cfg(test)]
    pub fn is_checked_clean(&self, package: &str) -> bool {
        let package = normalize_name(package);
        self.checked_clean.contains(&package)
    }

    /// Every package the table speaks for, in first-seen order: those with
    /// advisories, then those checked without one (the tests compare it with
    /// the rule's documentation).
    #[cfg(test)]
    pub fn packages(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        let all = self
            .advisories
            .iter()
            .map(|a| a.package.as_str())
            .chain(self.checked_clean.iter().map(String::as_str));
        for name in all {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    /// Every advisory of `package` that affects `version`, in table order.
    pub fn affecting(&self, package: &str, version: &Version) -> Vec<&Advisory> {
        self.for_package(package)
            .filter(|a| a.affects(version))
            .collect()
    }

    /// The smallest first-fixed version above `from` that no advisory of
    /// `package` affects, or `None` when the table has no such version.
    pub fn fix_target(&self, package: &str, from: &Version) -> Option<Version> {
        let mut candidates: Vec<&Version> = self
            .for_package(package)
            .flat_map(|a| a.fixed.iter())
            .filter(|v| *v > from)
            .collect();
        candidates.sort();
        candidates.dedup();
        candidates
            .into_iter()
            .find(|v| self.affecting(package, v).is_empty())
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::from_str(s).unwrap()
    }

    fn cves(package: &str, version: &str) -> Vec<String> {
        table()
            .affecting(package, &v(version))
            .into_iter()
            .map(|a| a.cve.clone())
            .collect()
    }

    #[test]
    fn embedded_table_is_valid_dated_and_sourced() {
        let t = table();
        assert_eq!(t.date.len(), 10);
        assert!(t.advisories.len() >= 25, "{}", t.advisories.len());
        for a in &t.advisories {
            assert!(a.cve.starts_with("CVE-"), "{}", a.cve);
            assert!(a.source.starts_with("https://"), "{}", a.cve);
            assert!(!a.summary.is_empty());
            for fixed in &a.fixed {
                assert!(!a.affects(fixed), "{} fixed {} is affected", a.cve, fixed);
            }
        }
    }

    #[test]
    fn every_catalogue_cve_is_in_the_table() {
        let required = [
            ("flask", "CVE-2023-30861"),
            ("flask", "CVE-2025-47278"),
            ("werkzeug", "CVE-2023-25577"),
            ("werkzeug", "CVE-2023-23934"),
            ("werkzeug", "CVE-2023-46136"),
            ("werkzeug", "CVE-2024-34069"),
            ("werkzeug", "CVE-2024-49766"),
            ("werkzeug", "CVE-2024-49767"),
            ("flask-cors", "CVE-2024-1681"),
            ("flask-cors", "CVE-2024-6221"),
            ("flask-cors", "CVE-2024-6839"),
            ("flask-cors", "CVE-2024-6844"),
            ("flask-cors", "CVE-2024-6866"),
            ("pyjwt", "CVE-2022-29217"),
            ("jinja2", "CVE-2024-22195"),
            ("jinja2", "CVE-2024-34064"),
            ("jinja2", "CVE-2024-56201"),
            ("jinja2", "CVE-2024-56326"),
            ("jinja2", "CVE-2025-27516"),
            ("gunicorn", "CVE-2024-1135"),
            ("gunicorn", "CVE-2024-6827"),
        ];
        for (package, cve) in required {
            assert!(
                table().for_package(package).any(|a| a.cve == cve),
                "{package} {cve} missing"
            );
        }
    }

    #[test]
    fn catalogue_fixed_versions_match() {
        let fixed = |cve: &str| -> Vec<String> {
            let a = table().advisories.iter().find(|a| a.cve == cve).unwrap();
            a.fixed.iter().map(ToString::to_string).collect()
        };
        assert_eq!(fixed("CVE-2023-30861"), ["2.2.5", "2.3.2"]);
        assert_eq!(fixed("CVE-2025-47278"), ["3.1.1"]);
        assert_eq!(fixed("CVE-2023-46136"), ["2.3.8", "3.0.1"]);
        assert_eq!(fixed("CVE-2024-34069"), ["3.0.3"]);
        assert_eq!(fixed("CVE-2024-6221"), ["4.0.2"]);
        assert_eq!(fixed("CVE-2022-29217"), ["2.4.0"]);
        assert_eq!(fixed("CVE-2025-27516"), ["3.1.6"]);
        assert_eq!(fixed("CVE-2024-6827"), ["23.0.0"]);
    }

    #[test]
    fn matching_follows_branches() {
        // flask 2.2.4 is on the 2.2 branch before its fix; 2.2.5 is fixed there.
        assert!(cves("flask", "2.2.4").contains(&"CVE-2023-30861".to_string()));
        assert!(!cves("flask", "2.2.5").contains(&"CVE-2023-30861".to_string()));
        assert!(cves("flask", "2.3.1").contains(&"CVE-2023-30861".to_string()));
        assert!(!cves("flask", "2.3.2").contains(&"CVE-2023-30861".to_string()));
        // CVE-2025-47278 is 3.1.0 only.
        assert!(cves("flask", "3.1.0").contains(&"CVE-2025-47278".to_string()));
        assert!(!cves("flask", "3.0.3").contains(&"CVE-2025-47278".to_string()));
        assert!(!cves("flask", "3.1.1").contains(&"CVE-2025-47278".to_string()));
        assert!(cves("flask", "3.1.3").is_empty());
        // pyjwt before 1.5.0 is not in CVE-2022-29217's range, but in the
        // older CVE-2017-11424's.
        assert!(cves("pyjwt", "1.4.2").contains(&"CVE-2017-11424".to_string()));
        assert!(!cves("pyjwt", "1.4.2").contains(&"CVE-2022-29217".to_string()));
        // PyYAML 3.13 predates FullLoader (CVE-2020-1747 is 5.1 to 5.3.0).
        assert!(!cves("pyyaml", "3.13").contains(&"CVE-2020-1747".to_string()));
        assert!(cves("pyyaml", "5.3").contains(&"CVE-2020-1747".to_string()));
        assert!(cves("pyjwt", "2.3.0").contains(&"CVE-2022-29217".to_string()));
        assert!(!cves("pyjwt", "2.4.0").contains(&"CVE-2022-29217".to_string()));
        // CVE-2024-53861 is 2.10.0 only; CVE-2026-48523 starts at 2.9.0.
        assert!(cves("pyjwt", "2.10.0").contains(&"CVE-2024-53861".to_string()));
        assert!(!cves("pyjwt", "2.9.0").contains(&"CVE-2024-53861".to_string()));
        assert!(!cves("pyjwt", "2.10.1").contains(&"CVE-2024-53861".to_string()));
        assert!(!cves("pyjwt", "2.8.0").contains(&"CVE-2026-48523".to_string()));
        assert!(cves("pyjwt", "2.15.0").is_empty());
        // werkzeug 2.3.8 has the CVE-2023-46136 fix, 3.0.0 does not.
        assert!(!cves("werkzeug", "2.3.8").contains(&"CVE-2023-46136".to_string()));
        assert!(cves("werkzeug", "3.0.0").contains(&"CVE-2023-46136".to_string()));
        // jinja2 2.x is not affected by the 3.x compiler bug.
        assert!(!cves("jinja2", "2.11.3").contains(&"CVE-2024-56201".to_string()));
        assert!(cves("jinja2", "3.0.0").contains(&"CVE-2024-56201".to_string()));
        // Older releases carry the older advisories too.
        assert_eq!(
            cves("flask", "0.12.2"),
            [
                "CVE-2023-30861",
                "CVE-2026-27205",
                "CVE-2018-1000656",
                "CVE-2019-1010083"
            ]
        );
        assert!(cves("jinja2", "2.10").contains(&"CVE-2019-10906".to_string()));
        assert!(!cves("jinja2", "2.10.1").contains(&"CVE-2019-10906".to_string()));
        assert_eq!(
            cves("flask-appbuilder", "4.3.1"),
            ["CVE-2023-34110", "CVE-2025-32962"]
        );
        // Unknown packages have nothing.
        assert!(cves("click", "2.0").is_empty());
        // requests: four advisories, 2.31.0 still has the later three.
        assert_eq!(
            cves("requests", "2.30.0"),
            [
                "CVE-2026-25645",
                "CVE-2023-32681",
                "CVE-2024-35195",
                "CVE-2024-47081"
            ]
        );
        assert_eq!(
            cves("requests", "2.31.0"),
            ["CVE-2026-25645", "CVE-2024-35195", "CVE-2024-47081"]
        );
        assert_eq!(
            cves("SQLAlchemy", "1.2.19"),
            ["CVE-2019-7164", "CVE-2019-7548"]
        );
        assert!(cves("sqlalchemy", "1.3.0").is_empty());
    }

    #[test]
    fn pre_releases_of_a_fixed_version_are_affected() {
        assert!(cves("pyjwt", "2.4.0rc1").contains(&"CVE-2022-29217".to_string()));
        assert!(!cves("pyjwt", "2.4.0.post1").contains(&"CVE-2022-29217".to_string()));
        assert_eq!(
            cves("pyjwt", "2.15.0rc1"),
            ["CVE-2026-101918", "CVE-2026-102275"]
        );
        assert!(cves("pyjwt", "2.15.0.post1").is_empty());
    }

    #[test]
    fn fix_target_is_the_smallest_clean_fixed_version() {
        let t = table();
        assert_eq!(t.fix_target("pyjwt", &v("2.3.0")), Some(v("2.15.0")));
        assert_eq!(t.fix_target("gunicorn", &v("20.1.0")), Some(v("23.0.0")));
        assert_eq!(t.fix_target("jinja2", &v("3.1.2")), Some(v("3.1.6")));
        assert_eq!(t.fix_target("flask-cors", &v("3.0.10")), Some(v("6.0.0")));
        // Flask 2.2.2: 2.2.5 and 2.3.2 still have CVE-2026-27205; 3.1.1 too.
        assert_eq!(t.fix_target("flask", &v("2.2.2")), Some(v("3.1.3")));
        // Never a version the table knows to be affected (3.1.1 < 3.1.3 is).
        assert_eq!(t.fix_target("flask", &v("3.1.0")), Some(v("3.1.3")));
        assert_eq!(t.fix_target("werkzeug", &v("2.2.2")), Some(v("3.1.9")));
        assert_eq!(
            t.fix_target("flask-appbuilder", &v("4.1.0")),
            Some(v("4.6.2"))
        );
        assert_eq!(t.fix_target("gunicorn", &v("19.4.5")), Some(v("23.0.0")));
        assert_eq!(
            t.fix_target("flask-security-too", &v("3.4.0")),
            Some(v("5.3.3"))
        );
        assert_eq!(cves("Flask_Admin", "1.5.2"), ["CVE-2018-16516"]);
        assert!(cves("flask-admin", "1.5.3").is_empty());
        assert_eq!(t.fix_target("click", &v("1.0")), None);
        assert_eq!(t.fix_target("requests", &v("2.20.0")), Some(v("2.33.0")));
        assert_eq!(t.fix_target("pyyaml", &v("3.13")), Some(v("5.4")));
    }

    #[test]
    fn newest_releases_notes_move_the_fix_target() {
        let t = table();
        // Pillow 12.3.0's notes list further CVEs, and 13.0.0's more again:
        // neither 12.2.0 nor 12.3.0 is a target any more.
        assert_eq!(t.fix_target("pillow", &v("12.2.0")), Some(v("13.0.0")));
        assert_eq!(t.fix_target("pillow", &v("12.3.0")), Some(v("13.0.0")));
        assert!(cves("pillow", "12.2.0").contains(&"CVE-2026-59200".to_string()));
        assert!(cves("pillow", "13.0.0").is_empty());
        // Introduced-in versions from the notes: PdfParser came in 5.1.0,
        // EPS BeginBinary parsing in 12.0.0.
        assert!(!cves("pillow", "5.0.0").contains(&"CVE-2026-59200".to_string()));
        assert!(cves("pillow", "5.1.0").contains(&"CVE-2026-59200".to_string()));
        assert!(!cves("pillow", "11.3.0").contains(&"CVE-2026-59203".to_string()));
        assert!(cves("pillow", "12.0.0").contains(&"CVE-2026-59203".to_string()));
        // urllib3: 2.6.3 has 2.7.0's and 2.8.0's advisories; remove_headers_on_redirect
        // (CVE-2026-44431) came in 1.23.
        assert_eq!(t.fix_target("urllib3", &v("2.6.3")), Some(v("2.8.0")));
        assert!(!cves("urllib3", "1.22").contains(&"CVE-2026-44431".to_string()));
        assert!(cves("urllib3", "1.23").contains(&"CVE-2026-44431".to_string()));
        assert!(cves("urllib3", "2.8.0").is_empty());
        assert_eq!(cves("werkzeug", "3.1.8"), ["CVE-2026-102598"]);
        assert!(cves("werkzeug", "3.1.9").is_empty());
        assert_eq!(t.fix_target("requests", &v("2.32.4")), Some(v("2.33.0")));
        // gunicorn's ASGI parser smuggling (CVE-2026-134820) is 25.2.0 to
        // 26.x only: older lines still go to 23.0.0.
        assert_eq!(cves("gunicorn", "26.2.2"), ["CVE-2026-134820"]);
        assert!(cves("gunicorn", "25.1.0").is_empty());
        assert_eq!(t.fix_target("gunicorn", &v("25.3.0")), Some(v("27.0.0")));
        assert_eq!(t.fix_target("gunicorn", &v("21.2.0")), Some(v("23.0.0")));
        // cryptography 46.0.7 has the 46.x fixes but not 50.0.0's PKCS#7 one
        // (decryption came in 44.0.0).
        assert_eq!(
            t.fix_target("cryptography", &v("46.0.5")),
            Some(v("50.0.0"))
        );
        assert!(!cves("cryptography", "43.0.3").contains(&"CVE-2026-69247".to_string()));
        assert!(cves("cryptography", "44.0.0").contains(&"CVE-2026-69247".to_string()));
    }

    #[test]
    fn every_package_issue_10_names_is_covered_or_checked_clean() {
        // Issue 10 item 2: the Flask ecosystem's common runtime dependencies.
        let named = [
            "SQLAlchemy",
            "Flask-SQLAlchemy",
            "Flask-Login",
            "Flask-WTF",
            "WTForms",
            "Flask-JWT-Extended",
            "itsdangerous",
            "MarkupSafe",
            "requests",
            "urllib3",
            "PyYAML",
            "cryptography",
            "Pillow",
            "lxml",
            "psycopg2",
            "psycopg2-binary",
            "waitress",
            "gevent",
            "eventlet",
            "python-multipart",
        ];
        let t = table();
        for package in named {
            assert!(
                t.covers(package) != t.is_checked_clean(package),
                "{package}: covered {}, checked clean {}",
                t.covers(package),
                t.is_checked_clean(package)
            );
        }
        // No package is both, and nothing is listed twice.
        for name in &t.checked_clean {
            assert!(!t.covers(name), "{name} has advisories");
        }
        let mut names = t.checked_clean.clone();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), t.checked_clean.len());
        assert!(t.is_checked_clean("Flask_Login"));
        assert!(!t.is_checked_clean("flask"));
        assert!(!t.is_checked_clean("click"));
        // Checked-clean packages still have nothing to report.
        assert!(cves("markupsafe", "2.0.1").is_empty());
        assert_eq!(t.fix_target("flask-login", &v("0.5.0")), None);
        let packages = t.packages();
        assert_eq!(packages.first(), Some(&"flask"));
        assert!(packages.contains(&"psycopg2-binary"));
        assert_eq!(packages.iter().filter(|p| **p == "pillow").count(), 1);
    }

    #[test]
    fn invalid_data_is_a_clear_error() {
        assert!(matches!(
            parse_table("[[advisory]]\npackage = \"x\"\n"),
            Err(AdvisoryTableError::MissingDate)
        ));
        let err = parse_table(
            "date = \"2026-01-01\"\n[[advisory]]\npackage = \"x\"\ncve = \"CVE-1\"\naffected = [\"<<1\"]\nfixed = [\"1\"]\nsummary = \"s\"\nsource = \"https://x\"\n",
        )
        .unwrap_err();
        assert!(
            matches!(err, AdvisoryTableError::Version { index: 0, .. }),
            "{err}"
        );
        let err = parse_table(
            "date = \"2026-01-01\"\n[[advisory]]\npackage = \"x\"\ncve = \"CVE-1\"\naffected = []\nfixed = [\"1\"]\nsummary = \"s\"\nsource = \"https://x\"\n",
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                AdvisoryTableError::Field {
                    field: "affected",
                    ..
                }
            ),
            "{err}"
        );
        assert!(matches!(
            parse_table("date = "),
            Err(AdvisoryTableError::Toml(_))
        ));
        assert!(matches!(
            parse_table("date = \"2026-01-01\"\nchecked_clean = [\"a\", 1]\n"),
            Err(AdvisoryTableError::CheckedClean)
        ));
        assert!(matches!(
            parse_table("date = \"2026-01-01\"\nchecked_clean = \"a\"\n"),
            Err(AdvisoryTableError::CheckedClean)
        ));
        let t = parse_table("date = \"2026-01-01\"\nchecked_clean = [\"Flask_Login\"]\n").unwrap();
        assert_eq!(t.checked_clean, ["flask-login"]);
        assert!(
            parse_table("date = \"2026-01-01\"\n")
                .unwrap()
                .checked_clean
                .is_empty()
        );
    }
}
