//! Rule documentation for `flask-harden rule CODE` and the table for
//! `flask-harden rule --all`.

use std::io::{self, Write};

use crate::analysis::registry::{RULES, RuleInfo};

/// Prints one rule's header and documentation.
pub fn write_doc(info: &RuleInfo, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# {} {}", info.code, info.name)?;
    writeln!(out)?;
    writeln!(
        out,
        "Severity: {}. Fix: {}. {}. OWASP {} {}.",
        info.severity,
        info.fix.as_str(),
        info.cwe,
        info.owasp,
        info.owasp_title
    )?;
    writeln!(out)?;
    match info.doc {
        Some(doc) => write!(out, "{doc}"),
        None => writeln!(
            out,
            "{}.\n\nNot implemented in this version: the rule is registered (it can be selected, ignored and suppressed) but reports nothing yet.",
            info.summary
        ),
    }
}

/// Prints the table of every rule: code, name, severity, fix availability.
pub fn write_table(out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{:<6}  {:<30}  {:<8}  {:<11}  summary",
        "code", "name", "severity", "fix"
    )?;
    for info in RULES {
        writeln!(
            out,
            "{:<6}  {:<30}  {:<8}  {:<11}  {}",
            info.code,
            info.name,
            info.severity.as_str(),
            info.fix.as_str(),
            info.summary
        )?;
    }
    Ok(())
}
