//! How `flask-harden fix` prints: each remediation as a header (code, name,
//! severity, file, what changes and why) followed by its unified diff
//! (coloured only on a terminal), the rule explanation asked for at the
//! prompt, the `--format json` array of RULES.md, the `fixed ...` lines and
//! the summary after applying (fixed per code, what is left for a person,
//! the environment variables to set), and the command's error lines.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::color::{BOLD, CYAN, GREEN, RED, paint};
use super::display_path;
use crate::remediate::{FixPlan, LeftoverReason, Remediation};

/// Prints one remediation: header, then its diff.
pub fn write_remediation(
    r: &Remediation,
    color: bool,
    cwd: &Path,
    out: &mut dyn Write,
) -> io::Result<()> {
    let path = display_path(&r.path, cwd);
    let location = if r.line > 0 {
        format!("{path}:{}", r.line)
    } else {
        path
    };
    writeln!(
        out,
        "{} {} [{}] ({} fix) {}",
        paint(color, BOLD, r.rule.code()),
        r.rule.name(),
        r.severity,
        r.applicability.as_str(),
        paint(color, BOLD, &location),
    )?;
    writeln!(out, "  change: {}", r.what)?;
    writeln!(out, "  why:    {}", r.why)?;
    for line in r.diff.split_inclusive('\n') {
        let shown = line.trim_end_matches(['\n', '\r']);
        let style = if shown.starts_with("+++") || shown.starts_with("---") {
            Some(BOLD)
        } else if shown.starts_with('+') {
            Some(GREEN)
        } else if shown.starts_with('-') {
            Some(RED)
        } else if shown.starts_with("@@") {
            Some(CYAN)
        } else {
            None
        };
        match style {
            Some(style) => writeln!(out, "{}", paint(color, style, shown))?,
            None => writeln!(out, "{shown}")?,
        }
    }
    writeln!(out)
}

/// Prints a remediation's rule and why it matters (the prompt's `explain`
/// answer).
pub fn write_explanation(r: &Remediation, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{} {}: {}\n  {}\n  (`flask-harden rule {}` prints the full documentation)",
        r.rule.code(),
        r.rule.name(),
        r.rule.info().summary,
        r.why,
        r.rule.code()
    )
}

/// Prints `fixed CODE path: what` for each remediation written without
/// asking (`--yes`).
pub fn write_fixed(fixed: &[&Remediation], cwd: &Path, out: &mut dyn Write) -> io::Result<()> {
    for r in fixed {
        let location = display_path(&r.path, cwd);
        writeln!(out, "fixed {} {location}: {}", r.rule.code(), r.what)?;
    }
    Ok(())
}

/// Why `fix` refuses to start (nothing is written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Asking before each change needs a terminal.
    NoTerminal,
    /// `--format json` cannot be combined with asking.
    JsonNeedsDecision,
}

/// Prints why `fix` refuses to start.
pub fn write_refusal(refusal: Refusal, err: &mut dyn Write) -> io::Result<()> {
    match refusal {
        Refusal::NoTerminal => writeln!(
            err,
            "error: `fix` asks before each change, but there is no terminal: pass --yes to apply every safe fix, or --dry-run to only show them. Nothing was written."
        ),
        Refusal::JsonNeedsDecision => writeln!(
            err,
            "error: --format json needs --dry-run or --yes. Nothing was written."
        ),
    }
}

/// Prints that nothing was written (after the errors that stopped `fix`).
pub fn write_nothing_written(err: &mut dyn Write) -> io::Result<()> {
    writeln!(err, "error: nothing was written")
}

/// Prints one `error: ...` line per problem (a planning problem or a file
/// that could not be written).
pub fn write_error_lines<E: Display>(
    errors: impl IntoIterator<Item = E>,
    err: &mut dyn Write,
) -> io::Result<()> {
    for error in errors {
        writeln!(err, "error: {error}")?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonRemediation<'a> {
    code: &'static str,
    name: &'static str,
    severity: String,
    path: String,
    line: Option<usize>,
    applicability: &'static str,
    message: &'a str,
    diff: &'a str,
}

/// Prints the remediations as one JSON array (RULES.md: `code`, `path`,
/// `applicability`, `diff`, plus `name`, `severity`, `line`, `message`).
pub fn write_json(remediations: &[Remediation], cwd: &Path, out: &mut dyn Write) -> io::Result<()> {
    let items: Vec<JsonRemediation> = remediations
        .iter()
        .map(|r| JsonRemediation {
            code: r.rule.code(),
            name: r.rule.name(),
            severity: r.severity.to_string(),
            path: display_path(&r.path, cwd),
            line: (r.line > 0).then_some(r.line),
            applicability: r.applicability.as_str(),
            message: &r.what,
            diff: &r.diff,
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)
}

/// Prints what was fixed per code, what remains for a person and the new
/// environment variables. `fixed` are the remediations actually written.
pub fn write_summary(
    plan: &FixPlan,
    fixed: &[&Remediation],
    dry_run: bool,
    cwd: &Path,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut per_code: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for r in fixed {
        per_code
            .entry(r.rule.code())
            .or_insert((0, r.rule.name()))
            .0 += 1;
    }
    let verb = if dry_run { "Would fix" } else { "Fixed" };
    if per_code.is_empty() {
        writeln!(
            out,
            "Nothing {}.",
            if dry_run { "to fix" } else { "was fixed" }
        )?;
    } else {
        writeln!(out, "{verb} {} remediation(s):", fixed.len())?;
        for (code, (count, name)) in &per_code {
            writeln!(out, "  {code} {name}: {count}")?;
        }
    }
    let env: BTreeSet<&str> = fixed
        .iter()
        .flat_map(|r| r.env_vars.iter().map(String::as_str))
        .collect();
    if !env.is_empty() {
        writeln!(
            out,
            "Environment variables the fixed code reads (set them where the app runs; SECRET_KEY-like ones are required):"
        )?;
        for name in env {
            writeln!(out, "  {name}")?;
        }
    }
    for note in &plan.notes {
        writeln!(out, "To do: {note}")?;
    }
    let left: Vec<_> = plan
        .leftovers
        .iter()
        .filter(|l| !(dry_run && l.reason == LeftoverReason::Declined))
        .collect();
    if !left.is_empty() {
        writeln!(out, "Left for a person ({}):", left.len())?;
        for l in left {
            let why = match l.reason {
                LeftoverReason::ReportOnly => "report only",
                LeftoverReason::Unsafe => "unsafe fix: rerun with --unsafe-fixes to apply",
                LeftoverReason::Declined => "not applied",
                LeftoverReason::Dropped => "fix dropped (internal error)",
                LeftoverReason::Withheld => "fix withheld",
            };
            writeln!(
                out,
                "  {}:{}: {} {} ({why}): {}",
                display_path(&l.path, cwd),
                l.line,
                l.rule.code(),
                l.rule.name(),
                l.message
            )?;
        }
    }
    Ok(())
}
