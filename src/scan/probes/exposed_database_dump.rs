//! exposed-database-dump: a database file or SQL dump is served (`/app.db`,
//! `/backup.sql`): every account and record for anyone who asks.

use super::exposure::{hits, is_html, text};
use super::{Evidence, Finding, FindingId, ProbeSeverity};

const DUMPS: &[&str] = &["/backup.sql", "/dump.sql"];
const DATABASES: &[&str] = &["/db.sqlite3", "/app.db", "/database.db"];

fn looks_like_sql(body: &str) -> bool {
    let upper = body.to_ascii_uppercase();
    upper.contains("CREATE TABLE") || upper.contains("INSERT INTO")
}

pub fn detect(evidence: &Evidence) -> Option<Finding> {
    let mut found = hits(evidence, DUMPS, |r| !is_html(r) && looks_like_sql(&text(r)));
    found.extend(hits(evidence, DATABASES, |r| {
        r.body.starts_with(b"SQLite format 3\0")
    }));
    (!found.is_empty()).then(|| Finding {
        id: FindingId::ExposedDatabaseDump,
        severity: ProbeSeverity::High,
        message: format!(
            "{} answered with a database or SQL dump: the data (accounts, password hashes) is public. Keep databases and backups outside every served folder",
            found.join(", ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::response_at;
    use super::*;

    #[test]
    fn sqlite_magic_and_sql_text() {
        let e = Evidence {
            exposure: vec![
                response_at("/app.db", 200, &[], "SQLite format 3\0\u{1}\u{2}"),
                response_at("/dump.sql", 200, &[], "CREATE TABLE user (id int);"),
            ],
            ..Evidence::default()
        };
        assert!(
            detect(&e)
                .unwrap()
                .message
                .starts_with("/dump.sql, /app.db")
        );
        let e = Evidence {
            exposure: vec![response_at("/app.db", 200, &[], "not a database")],
            ..Evidence::default()
        };
        assert_eq!(detect(&e), None);
    }
}
