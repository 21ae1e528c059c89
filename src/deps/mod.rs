//! Python dependency files: `requirements*.txt` and `pyproject.toml` parsed with
//! exact byte ranges, matched against the embedded advisory table, and edited
//! without touching any other byte.
//!
//! This module is neutral: it knows nothing of the `check` engine's types. It
//! produces [`DepFinding`]s (FH601 vulnerable pins, the dependency half of
//! FH107) with byte ranges and suggested edits, and offers the edits `fix`
//! needs (raise a pin, add a hardening dependency for FH602, move the debug
//! toolbar to development).
//!
//! Matching semantics (FH601): a requirement's version is the lowest version
//! its lower-bound clauses allow: `==X`, `===X`, `~=X`, `>=X`, Poetry `^X`, `~X`
//! and bare `X` all give `X` (the highest of them when there are several).
//! Checking the lowest allowed version flags a range that lets a vulnerable
//! release be installed, without guessing what a resolver picks. Requirements
//! without a lower bound (`flask`, `flask<3`, `>X`, `==2.*`) are not reported.
//! The fix raises every lower-bound clause below the target to the target,
//! keeping its operator, where the target is the smallest first-fixed version
//! that no advisory of the package affects; when another clause (`<3`)
//! excludes the target, the finding has no fix.

pub mod advisory;
pub mod classify;
pub mod compat;
pub mod edit;
pub mod install;
pub mod major;
pub mod metadata;
pub mod pyproject;
pub mod requirement;
pub mod requirements_txt;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifier};

use crate::edit::{Dependency, Edit};
use advisory::{Advisory, table};
use classify::Role;
use compat::{Pin, Plan};
use requirement::{Clause, Op};
use requirements_txt::{DevFileAddition, EntryKind};

/// The PyPI name of the debug toolbar that FH107 keeps out of production.
pub const DEBUG_TOOLBAR: &str = "flask-debugtoolbar";

/// The dependency that FH602 adds with the FH202 fix (the versions of these
/// three are the ones verified in STACK.md).
pub const TALISMAN: Dependency = Dependency {
    package: "flask-talisman",
    spec: ">=1.1.0",
};

/// The dependency that FH602 adds with the FH203 fix.
pub const LIMITER: Dependency = Dependency {
    package: "Flask-Limiter",
    spec: ">=4.1.1",
};

/// The dependency that FH602 adds with the FH301 fix.
pub const PYDANTIC: Dependency = Dependency {
    package: "pydantic",
    spec: ">=2.14.4",
};

/// The dependencies that FH602 adds with the FH202 / FH203 / FH301 fixes.
pub const HARDENING_DEPENDENCIES: [Dependency; 3] = [TALISMAN, LIMITER, PYDANTIC];

/// What a dependency finding reports.
#[derive(Debug, Clone)]
pub enum DepFindingKind {
    /// FH601: the requirement allows a version with known vulnerabilities.
    VulnerableDependency {
        /// The lowest version the requirement allows (the one checked).
        version: Version,
        /// Every advisory affecting that version, in table order.
        advisories: Vec<&'static Advisory>,
        /// The version the fix raises to, when the table knows one.
        fixed_version: Option<Version>,
    },
    /// FH107 (dependency half): flask-debugtoolbar in a production dependency list.
    DebugToolbarInProduction,
}

impl DepFindingKind {
    /// The rule code.
    pub fn code(&self) -> &'static str {
        match self {
            DepFindingKind::VulnerableDependency { .. } => "FH601",
            DepFindingKind::DebugToolbarInProduction => "FH107",
        }
    }

    /// The CVE ids of an FH601 finding (empty for FH107).
    pub fn cves(&self) -> Vec<&'static str> {
        match self {
            DepFindingKind::VulnerableDependency { advisories, .. } => {
                advisories.iter().map(|a| a.cve.as_str()).collect()
            }
            DepFindingKind::DebugToolbarInProduction => Vec::new(),
        }
    }
}

/// A suggested fix: edits on the analysed file, and possibly a line to put in
/// a development requirements file (FH107 in `requirements*.txt`).
#[derive(Debug, Clone)]
pub struct DepFix {
    pub message: String,
    /// The raise crosses a major version (FH601): an unsafe fix.
    pub crosses_major: bool,
    /// The fix moves an upper bound the project set (FH601): an unsafe fix.
    pub rewrites_bound: bool,
    /// The requirements the fix raises (normalized name, new version), the
    /// finding's own first: FH601 only; a major-version check reads them.
    pub raises: Vec<(String, Version)>,
    pub edits: Vec<Edit>,
    pub dev_file: Option<DevFileAddition>,
}

/// One finding in a dependency file.
#[derive(Debug, Clone)]
pub struct DepFinding {
    pub kind: DepFindingKind,
    /// The package as written.
    pub package: String,
    /// The requirement: its text in `requirements*.txt`, the string literal or
    /// the Poetry `key = value` in `pyproject.toml`.
    pub range: Range<usize>,
    pub message: String,
    pub fix: Option<DepFix>,
}

/// Why a dependency file could not be analysed.
#[derive(Debug, thiserror::Error)]
pub enum DepsError {
    #[error(transparent)]
    Pyproject(#[from] pyproject::PyprojectError),
}

/// Whether `path` is a dependency file this module analyses.
pub fn is_dependency_file(path: &Path) -> bool {
    classify::is_requirements_file(path)
        || path.file_name().and_then(|n| n.to_str()) == Some("pyproject.toml")
}

/// Analyses any dependency file by its name; `None` when it is not one.
pub fn analyze_file(path: &Path, text: &str) -> Option<Result<Vec<DepFinding>, DepsError>> {
    if classify::is_requirements_file(path) {
        return Some(Ok(analyze_requirements(path, text)));
    }
    if path.file_name().and_then(|n| n.to_str()) == Some("pyproject.toml") {
        return Some(analyze_pyproject_in(text, path.parent()).map_err(DepsError::from));
    }
    None
}

/// The byte ranges of the comments of a dependency file (`#` to the end of the
/// line), so that `# noqa: FH601` / `# flask-harden: ignore[FH601]` work there
/// as in Python files. `pyproject` selects TOML rules (no `#` inside strings);
/// otherwise pip's rule applies (`#` at the start or after whitespace).
pub fn comment_ranges(text: &str, pyproject: bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\r', '\n']);
        let start = if pyproject {
            toml_comment_start(content)
        } else {
            content
                .char_indices()
                .find(|&(i, c)| c == '#' && (i == 0 || content[..i].ends_with(char::is_whitespace)))
                .map(|(i, _)| i)
        };
        if let Some(start) = start {
            out.push(offset + start..offset + content.len());
        }
        offset += line.len();
    }
    out
}

/// The `#` that starts a TOML comment on one line, outside `"..."` / `'...'`.
fn toml_comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' => return Some(i),
            None => {}
        }
    }
    None
}

/// The new text of a file that a dependency remediation rewrites (whole, or
/// creates): what `remediate` turns into a planned `FileChange`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRewrite {
    pub path: PathBuf,
    /// The complete new text.
    pub new_text: String,
    /// The file does not exist yet.
    pub created: bool,
}

/// The complete FH107 remediation for a production requirements file: the
/// file without its flask-debugtoolbar lines, and the development file
/// ([`requirements_txt::development_file_for`]) with them, created with
/// `-r <file>` when `dev_text` is `None` (it does not exist). Empty when the
/// file is not a production requirements file or has no toolbar line.
pub fn move_debug_toolbar_to_development(
    path: &Path,
    text: &str,
    dev_text: Option<&str>,
) -> Vec<FileRewrite> {
    if classify::requirements_file_role(path) != Some(Role::Production) {
        return Vec::new();
    }
    let file = requirements_txt::parse(text);
    let mut removals = Vec::new();
    let mut dev = dev_text.map(str::to_string);
    let mut dev_path = None;
    let mut dev_changed = false;
    for (entry, requirement) in file.requirements() {
        if requirement.normalized != DEBUG_TOOLBAR {
            continue;
        }
        let (removal, addition) =
            requirements_txt::move_to_development_file(path, text, entry, DEBUG_TOOLBAR);
        removals.push(removal);
        if let Some(new_dev) = addition.apply(dev.as_deref()) {
            dev = Some(new_dev);
            dev_changed = true;
        }
        dev_path = Some(addition.path);
    }
    let (Some(dev_path), Ok(new_text)) = (dev_path, edit::apply_edits(text, &removals)) else {
        return Vec::new();
    };
    let mut changes = vec![FileRewrite {
        path: path.to_path_buf(),
        new_text,
        created: false,
    }];
    if let (true, Some(new_text)) = (dev_changed, dev) {
        changes.push(FileRewrite {
            path: dev_path,
            new_text,
            created: dev_text.is_none(),
        });
    }
    changes
}

/// Adds a production dependency (FH602) to a `requirements*.txt` or
/// `pyproject.toml`, formatting preserved. `Ok(None)` when it is already there.
pub fn add_dependency(
    path: &Path,
    text: &str,
    requirement: &str,
) -> Result<Option<String>, DepsError> {
    if path.file_name().and_then(|n| n.to_str()) == Some("pyproject.toml") {
        return Ok(pyproject::add_dependency(text, requirement)?);
    }
    Ok(requirements_txt::add_requirement(text, requirement))
}

/// The upper bound (exclusive) of Poetry's `^` and `~` operators.
pub(crate) fn poetry_upper(op: Op, base: &Version) -> Version {
    let release = base.release();
    let index = match op {
        Op::Caret => release
            .iter()
            .position(|&n| n != 0)
            .unwrap_or(release.len() - 1),
        _ => usize::from(release.len() >= 2),
    };
    let mut upper: Vec<u64> = release[..index].to_vec();
    upper.push(release[index] + 1);
    Version::new(upper).with_epoch(base.epoch())
}

/// Whether one clause allows `candidate`.
pub(crate) fn clause_allows(clause: &Clause, candidate: &Version) -> bool {
    match clause.op {
        Op::Caret | Op::Tilde => clause
            .parsed_version()
            .is_some_and(|base| *candidate >= base && *candidate < poetry_upper(clause.op, &base)),
        _ => {
            let op = match clause.op {
                Op::Bare => "==",
                other => other.as_str(),
            };
            VersionSpecifier::from_str(&format!("{op}{}", clause.version))
                .is_ok_and(|spec| spec.contains(candidate))
        }
    }
}

fn is_lower_bound(op: Op) -> bool {
    matches!(
        op,
        Op::Equal
            | Op::ArbitraryEqual
            | Op::Compatible
            | Op::GreaterEqual
            | Op::Caret
            | Op::Tilde
            | Op::Bare
    )
}

/// The lowest version the clauses allow, from their lower bounds.
pub fn lowest_allowed(clauses: &[Clause]) -> Option<Version> {
    clauses
        .iter()
        .filter(|c| is_lower_bound(c.op))
        .filter_map(Clause::parsed_version)
        .max()
}

/// `target` written with the precision of `original` where that loses
/// nothing: `~=4.0` raised to 6.0.0 becomes `~=6.0`, `>=22` raised to 23.0.0
/// becomes `>=23`, but 3.1.6 stays 3.1.6.
fn format_like(target: &Version, original: &str) -> String {
    let plain = target.epoch() == 0
        && target.pre().is_none()
        && target.post().is_none()
        && target.dev().is_none()
        && target.local().is_empty();
    let Some(original) = Version::from_str(original).ok().filter(|_| plain) else {
        return target.to_string();
    };
    let release = target.release();
    let significant = release.iter().rposition(|&n| n != 0).map_or(1, |i| i + 1);
    let keep = significant.max(original.release().len()).min(release.len());
    release[..keep]
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// The edits raising every lower bound below `target` to `target`, or `None`
/// when the other clauses would then exclude `target`.
pub fn raise_edits(clauses: &[Clause], target: &Version) -> Option<Vec<Edit>> {
    raise_clauses(clauses, target).map(|(edits, _)| edits)
}

/// [`raise_edits`] with the clauses as they read after the edits.
pub fn raise_clauses(clauses: &[Clause], target: &Version) -> Option<(Vec<Edit>, Vec<Clause>)> {
    let mut raised = Vec::new();
    let mut edits = Vec::new();
    for clause in clauses {
        let mut clause = clause.clone();
        if is_lower_bound(clause.op) && clause.parsed_version().is_some_and(|v| v < *target) {
            clause.version = format_like(target, &clause.version);
            edits.push(Edit::replace_bytes(
                clause.version_range.clone(),
                clause.version.clone(),
            ));
        }
        raised.push(clause);
    }
    (!edits.is_empty() && raised.iter().all(|c| clause_allows(c, target)))
        .then_some((edits, raised))
}

/// Like [`raise_clauses`], also moving an upper bound (`<3.0`, `<=2.3`) that
/// excludes `target` up to the next major release after it (`<4.0`), written
/// like the original. Returns the edits, the new clauses and what changed
/// (`Werkzeug<3.0 becomes <4.0`), or `None` when there was no such bound or
/// the clauses still exclude `target`.
pub fn raise_clauses_rewriting_bound(
    clauses: &[Clause],
    target: &Version,
) -> Option<(Vec<Edit>, Vec<Clause>, String)> {
    let mut raised = Vec::new();
    let mut edits = Vec::new();
    let mut rewritten = Vec::new();
    for clause in clauses {
        let mut clause = clause.clone();
        let Some(version) = clause.parsed_version() else {
            raised.push(clause);
            continue;
        };
        if is_lower_bound(clause.op) && version < *target {
            clause.version = format_like(target, &clause.version);
            edits.push(Edit::replace_bytes(
                clause.version_range.clone(),
                clause.version.clone(),
            ));
        } else if matches!(clause.op, Op::Less | Op::LessEqual) && !clause_allows(&clause, target) {
            // The next major release, with as many parts as the bound had.
            let parts = version.release().len().max(1);
            let mut release = vec![0; parts];
            release[0] = target.release().first().copied().unwrap_or(0) + 1;
            let cap = Version::new(release);
            let before = format!("{}{}", clause.op.as_str(), clause.version);
            clause.op = Op::Less;
            clause.version = format_like(&cap, &clause.version);
            rewritten.push(format!("{before} becomes <{}", clause.version));
            // `<=` becomes `<` (same length or one shorter), then the version.
            edits.push(Edit::replace_bytes(
                clause.op_range.start..clause.version_range.end,
                format!("<{}", clause.version),
            ));
        }
        raised.push(clause);
    }
    // Only where a lower bound now starts at the target: a line with an upper
    // bound alone would still allow the affected releases.
    let floored = raised
        .iter()
        .any(|c| is_lower_bound(c.op) && c.parsed_version().is_some_and(|v| v >= *target));
    (!rewritten.is_empty() && floored && raised.iter().all(|c| clause_allows(c, target)))
        .then(|| (edits, raised, rewritten.join(", ")))
}

/// The start of an FH601 message: what the requirement allows and which
/// advisories affect it.
fn vulnerable_head(
    shown: &str,
    package: &str,
    version: &Version,
    advisories: &[&Advisory],
) -> String {
    let ids: Vec<&str> = advisories.iter().map(|a| a.cve.as_str()).collect();
    format!(
        "`{shown}` allows {package} {version}, affected by {} (advisory table of {})",
        ids.join(", "),
        table().date
    )
}

/// The FH601 finding for one requirement, if its lowest allowed version is
/// affected. Its fix raises this requirement alone; [`coordinate`] then makes
/// it installable next to the rest of its list.
fn vulnerable(pin: &Pin, range: Range<usize>) -> Option<DepFinding> {
    let advisories = table();
    if !advisories.covers(pin.normalized) {
        return None;
    }
    let version = lowest_allowed(pin.clauses)?;
    let affecting = advisories.affecting(pin.normalized, &version);
    if affecting.is_empty() {
        return None;
    }
    let package = pin.name;
    let fixed_version = advisories.fix_target(pin.normalized, &version);
    let mut message = vulnerable_head(pin.shown, package, &version, &affecting);
    let mut edits = fixed_version
        .as_ref()
        .filter(|_| pin.editable)
        .and_then(|target| raise_edits(pin.clauses, target));
    // An upper bound excludes every fixed release: an unsafe fix moves it.
    let mut rewrites = None;
    if edits.is_none()
        && pin.editable
        && let Some(target) = &fixed_version
        && let Some((moved, _, what)) = raise_clauses_rewriting_bound(pin.clauses, target)
    {
        edits = Some(moved);
        rewrites = Some(what);
    }
    match (&fixed_version, &edits) {
        (Some(target), Some(_)) if rewrites.is_some() => message.push_str(&format!(
            ": raise it to {target} (moving its upper bound: {}; review why it was set)",
            rewrites.as_deref().unwrap_or_default()
        )),
        (Some(target), Some(_)) => message.push_str(&format!(": raise it to {target}")),
        (Some(target), None) if pin.editable => message.push_str(&format!(
            ": require {package} {target} or later (the requirement's other bounds exclude it)"
        )),
        (Some(target), None) => message.push_str(&format!(": raise it to {target}")),
        (None, _) => message.push_str(": no fixed release is known; replace or patch the package"),
    }
    let fix = edits.map(|edits| DepFix {
        crosses_major: false,
        rewrites_bound: rewrites.is_some(),
        raises: fixed_version
            .iter()
            .map(|v| (pin.normalized.to_owned(), v.clone()))
            .collect(),
        message: format!(
            "Raise {package} to {}",
            fixed_version
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        ),
        edits,
        dev_file: None,
    });
    Some(DepFinding {
        kind: DepFindingKind::VulnerableDependency {
            version,
            advisories: affecting,
            fixed_version,
        },
        package: package.to_string(),
        range,
        message,
        fix,
    })
}

/// Makes the FH601 fixes of one dependency list installable together (see
/// [`compat`]): a fix raises the other requirements its release needs, or is
/// withdrawn with a message naming the conflict. `owners[i]` is the index in
/// `findings` of the FH601 finding of `pins[i]`, if it has one.
fn coordinate(
    findings: &mut [DepFinding],
    mut pins: Vec<Pin>,
    owners: &[Option<usize>],
    list: &str,
) {
    for (pin, owner) in pins.iter_mut().zip(owners) {
        pin.target = owner
            .map(|f| &findings[f])
            .filter(|f| f.fix.is_some())
            .and_then(|f| match &f.kind {
                DepFindingKind::VulnerableDependency { fixed_version, .. } => fixed_version.clone(),
                DepFindingKind::DebugToolbarInProduction => None,
            });
    }
    let plans = compat::plan(&pins, list);
    for ((plan, owner), pin) in plans.into_iter().zip(owners).zip(&pins) {
        let (Some(plan), Some(owner)) = (plan, owner) else {
            continue;
        };
        let finding = &mut findings[*owner];
        let DepFindingKind::VulnerableDependency {
            version,
            advisories,
            fixed_version,
        } = &mut finding.kind
        else {
            continue;
        };
        let head = vulnerable_head(pin.shown, pin.name, version, advisories);
        let raises = match plan {
            Plan::Conflict(why) => {
                finding.message = format!("{head}: {why}");
                finding.fix = None;
                continue;
            }
            Plan::Raise(raises) => raises,
        };
        let [own, others @ ..] = raises.as_slice() else {
            continue;
        };
        if others.is_empty() && own.because.is_none() && own.rewrites.is_none() {
            continue;
        }
        let mut fix_message = format!("Raise {} to {}", pin.name, own.version);
        let mut message = format!("{head}: raise it to {}", own.version);
        if let Some(because) = &own.because {
            fix_message.push_str(&format!(" to satisfy {because}"));
            message.push_str(&format!(" to satisfy {because}"));
        }
        for raise in others {
            let because = raise.because.as_deref().unwrap_or_default();
            fix_message.push_str(&format!(
                "; raise {} to {} to satisfy {because}",
                pins[raise.pin].name, raise.version
            ));
        }
        if !others.is_empty() {
            let together: Vec<String> = others
                .iter()
                .map(|r| format!("{} to {}", pins[r.pin].name, r.version))
                .collect();
            message.push_str(&format!(
                ", and {} so that {list} can still be installed",
                together.join(" and ")
            ));
        }
        let rewritten: Vec<&str> = raises
            .iter()
            .filter_map(|r| r.rewrites.as_deref())
            .collect();
        if !rewritten.is_empty() {
            let bounds = rewritten.join("; ");
            message.push_str(&format!(
                " (moving an upper bound of {list}: {bounds}; review why it was set)"
            ));
            fix_message.push_str(&format!(" ({bounds})"));
        }
        *fixed_version = Some(own.version.clone());
        finding.message = message;
        finding.fix = Some(DepFix {
            crosses_major: false,
            rewrites_bound: !rewritten.is_empty(),
            raises: raises
                .iter()
                .map(|r| (pins[r.pin].normalized.to_owned(), r.version.clone()))
                .collect(),
            message: fix_message,
            edits: raises
                .iter()
                .flat_map(|r| r.edits.iter().cloned())
                .collect(),
            dev_file: None,
        });
    }
}

/// Analyses a `requirements*.txt` file. `path` decides production versus
/// development (see [`classify`]) and names the development file of FH107 fixes.
pub fn analyze_requirements(path: &Path, text: &str) -> Vec<DepFinding> {
    let role = classify::requirements_file_role(path).unwrap_or(Role::Other);
    let file = requirements_txt::parse(text);
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("requirements.txt");
    let mut findings = Vec::new();
    let mut pins = Vec::new();
    let mut owners = Vec::new();
    for entry in &file.entries {
        let EntryKind::Requirement {
            requirement,
            hashes,
            contiguous,
        } = &entry.kind
        else {
            continue;
        };
        let pin = Pin {
            name: &requirement.name,
            normalized: &requirement.normalized,
            extras: &requirement.extras,
            clauses: &requirement.clauses,
            shown: &text[requirement.range.clone()],
            marker: requirement.marker_range.clone().map(|r| &text[r]),
            editable: *contiguous && !*hashes,
            target: None,
        };
        let mut owner = None;
        if let Some(mut finding) = vulnerable(&pin, requirement.range.clone()) {
            if *hashes {
                finding
                    .message
                    .push_str(" and regenerate its --hash values");
            }
            owner = Some(findings.len());
            findings.push(finding);
        }
        pins.push(pin);
        owners.push(owner);
        if role == Role::Production && requirement.normalized == DEBUG_TOOLBAR {
            let (removal, addition) = requirements_txt::move_to_development_file(
                path,
                text,
                entry,
                &requirement.normalized,
            );
            // Named as a reader finds it next to the production file.
            let dev_name = match (addition.path.parent(), addition.path.file_name()) {
                (Some(dir), Some(name)) if dir.ends_with("requirements") => {
                    format!("requirements/{}", name.to_string_lossy())
                }
                (_, Some(name)) => name.to_string_lossy().into_owned(),
                _ => addition.path.display().to_string(),
            };
            findings.push(DepFinding {
                kind: DepFindingKind::DebugToolbarInProduction,
                package: requirement.name.clone(),
                range: requirement.range.clone(),
                message: format!(
                    "{} is a production dependency in {file_name}: the toolbar exposes \
                     configuration, SQL queries and request data; move it to {dev_name}",
                    requirement.name
                ),
                fix: Some(DepFix {
                    crosses_major: false,
                    rewrites_bound: false,
                    raises: Vec::new(),
                    message: format!("Move {} to {dev_name}", requirement.name),
                    edits: vec![removal],
                    dev_file: Some(addition),
                }),
            });
        }
    }
    coordinate(&mut findings, pins, &owners, file_name);
    let project = path.parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    });
    major::guard(&mut findings, &major::requirements_pins(text), project);
    findings
}

/// Analyses a `pyproject.toml` (PEP 621, PEP 735 and Poetry tables). Each
/// dependency list is one unit for `coordinate`.
pub fn analyze_pyproject(text: &str) -> Result<Vec<DepFinding>, pyproject::PyprojectError> {
    analyze_pyproject_in(text, None)
}

/// [`analyze_pyproject`] for the project in `project` (searched for removed
/// APIs before a major-version raise, see [`major`]).
pub fn analyze_pyproject_in(
    text: &str,
    project: Option<&Path>,
) -> Result<Vec<DepFinding>, pyproject::PyprojectError> {
    let parsed = pyproject::parse(text)?;
    let mut findings = Vec::new();
    let mut pins = Vec::new();
    let mut owners = Vec::new();
    for dependency in &parsed.dependencies {
        let pin = Pin {
            name: &dependency.name,
            normalized: &dependency.normalized,
            extras: &dependency.extras,
            clauses: &dependency.clauses,
            shown: &text[dependency.range.clone()],
            marker: dependency.marker.as_deref(),
            editable: dependency.exact,
            target: None,
        };
        let mut owner = None;
        if let Some(finding) = vulnerable(&pin, dependency.range.clone()) {
            owner = Some(findings.len());
            findings.push(finding);
        }
        pins.push(pin);
        owners.push(owner);
        if dependency.section.role() == Role::Production && dependency.normalized == DEBUG_TOOLBAR {
            let edits = pyproject::move_to_development_edits(text, DEBUG_TOOLBAR)?;
            let section = dependency.section.describe();
            findings.push(DepFinding {
                kind: DepFindingKind::DebugToolbarInProduction,
                package: dependency.name.clone(),
                range: dependency.range.clone(),
                message: format!(
                    "{} is a production dependency in {section}: the toolbar exposes \
                     configuration, SQL queries and request data; move it to a development \
                     dependency group",
                    dependency.name
                ),
                fix: edits.map(|edits| DepFix {
                    crosses_major: false,
                    rewrites_bound: false,
                    raises: Vec::new(),
                    message: format!("Move {} to the dev dependency group", dependency.name),
                    edits,
                    dev_file: None,
                }),
            });
        }
    }
    let mut sections: Vec<&pyproject::Section> = Vec::new();
    for dependency in &parsed.dependencies {
        if !sections.contains(&&dependency.section) {
            sections.push(&dependency.section);
        }
    }
    for section in sections {
        let (list_pins, list_owners): (Vec<Pin>, Vec<Option<usize>>) = pins
            .iter()
            .zip(&owners)
            .zip(&parsed.dependencies)
            .filter(|(_, d)| d.section == *section)
            .map(|((pin, owner), _)| (pin.clone(), *owner))
            .unzip();
        coordinate(&mut findings, list_pins, &list_owners, &section.describe());
    }
    let pinned: Vec<major::Pinned> = pins
        .iter()
        .map(|p| {
            (
                p.normalized.to_owned(),
                lowest_allowed(p.clauses),
                p.shown.to_owned(),
            )
        })
        .collect();
    let project = project.map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    });
    major::guard(&mut findings, &pinned, project);
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deps::edit::apply_edits;

    fn v(s: &str) -> Version {
        Version::from_str(s).unwrap()
    }

    fn clauses(spec: &str) -> Vec<Clause> {
        requirement::parse_requirement(&format!("x{spec}"), 0)
            .unwrap()
            .clauses
    }

    fn fixed(text: &str, finding: &DepFinding) -> String {
        apply_edits(text, &finding.fix.as_ref().unwrap().edits).unwrap()
    }

    /// The finding's fix turns `from` into `to` and changes nothing else.
    fn assert_fixed(text: &str, finding: &DepFinding, from: &str, to: &str) {
        assert_eq!(fixed(text, finding), text.replace(from, to));
    }

    #[test]
    fn lowest_allowed_version_per_operator() {
        assert_eq!(lowest_allowed(&clauses("==2.2.2")), Some(v("2.2.2")));
        assert_eq!(lowest_allowed(&clauses("~=2.2")), Some(v("2.2")));
        assert_eq!(lowest_allowed(&clauses(">=2.0,<3")), Some(v("2.0")));
        assert_eq!(lowest_allowed(&clauses(">=2.0,~=2.2.1")), Some(v("2.2.1")));
        assert_eq!(lowest_allowed(&clauses("<3")), None);
        assert_eq!(lowest_allowed(&clauses(">2.0")), None);
        assert_eq!(lowest_allowed(&clauses("==2.*")), None);
        assert_eq!(
            lowest_allowed(&pyproject::parse_poetry_constraint("^2.2", 0)),
            Some(v("2.2"))
        );
    }

    #[test]
    fn poetry_operators_upper_bounds() {
        let allows = |c: &str, cand: &str| {
            clause_allows(&pyproject::parse_poetry_constraint(c, 0)[0], &v(cand))
        };
        assert!(allows("^2.2.2", "2.9.0") && !allows("^2.2.2", "3.0.0"));
        assert!(allows("^0.2.3", "0.2.9") && !allows("^0.2.3", "0.3.0"));
        assert!(allows("^0.0.3", "0.0.3") && !allows("^0.0.3", "0.0.4"));
        assert!(allows("~2.2.2", "2.2.9") && !allows("~2.2.2", "2.3.0"));
        assert!(allows("~2", "2.9") && !allows("~2", "3.0"));
        assert!(allows("2.2.2", "2.2.2") && !allows("2.2.2", "2.2.3"));
        assert!(!allows("^2.2.2", "2.2.1"));
    }

    #[test]
    fn raise_keeps_operators_and_respects_upper_bounds() {
        let text = "x~=2.2,<4";
        let edits = raise_edits(&clauses("~=2.2,<4"), &v("3.1.3")).unwrap();
        assert_eq!(apply_edits(text, &edits).unwrap(), "x~=3.1.3,<4");
        assert_eq!(raise_edits(&clauses(">=2.0,<3"), &v("3.1.3")), None);
        assert_eq!(raise_edits(&clauses(">=2.0,!=3.1.3"), &v("3.1.3")), None);
        assert_eq!(raise_edits(&clauses(">=3.2"), &v("3.1.3")), None);
        let raised = |spec: &str, target: &str| {
            let text = format!("x{spec}");
            apply_edits(&text, &raise_edits(&clauses(spec), &v(target)).unwrap()).unwrap()
        };
        assert_eq!(raised("~=4.0", "6.0.0"), "x~=6.0");
        assert_eq!(raised(">=22", "23.0.0"), "x>=23");
        assert_eq!(raised("~=3.1", "3.1.6"), "x~=3.1.6");
        assert_eq!(raised("==2.2.2", "3.1.3"), "x==3.1.3");
        assert_eq!(raised("==2.4.0rc1", "2.4.0"), "x==2.4.0");
    }

    #[test]
    fn requirements_file_findings_and_fixes() {
        let text = "# app\r\nFlask==2.2.2  # pinned\r\nwerkzeug>=3.0.3,<4 ; python_version >= \"3.9\"\r\nflask-cors~=4.0.0\r\nsix==1.10.0\r\nflask>=3.1.3\r\n";
        let findings = analyze_requirements(Path::new("requirements.txt"), text);
        let codes: Vec<_> = findings
            .iter()
            .map(|f| (f.kind.code(), f.package.as_str(), f.kind.cves().len()))
            .collect();
        assert_eq!(
            codes,
            [
                ("FH601", "Flask", 2),
                ("FH601", "werkzeug", 6),
                ("FH601", "flask-cors", 5)
            ]
        );
        let flask = &findings[0];
        assert_eq!(&text[flask.range.clone()], "Flask==2.2.2");
        assert_eq!(flask.kind.cves(), ["CVE-2023-30861", "CVE-2026-27205"]);
        assert_eq!(
            flask.message,
            "`Flask==2.2.2` allows Flask 2.2.2, affected by CVE-2023-30861, CVE-2026-27205 (advisory table of 2026-12-04): raise it to 3.1.3"
        );
        assert_fixed(
            text,
            flask,
            "Flask==2.2.2  # pinned",
            "Flask==3.1.3  # pinned",
        );
        assert_fixed(
            text,
            &findings[1],
            "werkzeug>=3.0.3,<4",
            "werkzeug>=3.1.9,<4",
        );
        assert_fixed(text, &findings[2], "flask-cors~=4.0.0", "flask-cors~=6.0.0");
        // After the fixes nothing is reported any more.
        let mut all = text.to_string();
        for f in analyze_requirements(Path::new("requirements.txt"), text)
            .iter()
            .rev()
        {
            all = apply_edits(&all, &f.fix.as_ref().unwrap().edits).unwrap();
        }
        assert!(analyze_requirements(Path::new("requirements.txt"), &all).is_empty());
    }

    #[test]
    fn hashed_and_blocked_requirements_have_no_fix() {
        let text = "pyjwt==2.3.0 \\\n    --hash=sha256:abc\ngunicorn>=20,<22\n";
        let findings = analyze_requirements(Path::new("requirements.txt"), text);
        assert_eq!(findings.len(), 2);
        assert!(findings[0].fix.is_none());
        // A lower bound and an upper bound that excludes every fixed release:
        // an unsafe fix raises the one and moves the other.
        let moved = findings[1].fix.as_ref().unwrap();
        assert!(moved.rewrites_bound);
        assert_eq!(
            apply_edits(text, &moved.edits).unwrap(),
            text.replace("gunicorn>=20,<22\n", "gunicorn>=23,<24\n")
        );
        assert!(
            findings[1].message.ends_with(
                "raise it to 23.0.0 (moving an upper bound of requirements.txt: gunicorn <22 becomes <24; review why it was set)"
            ),
            "{}",
            findings[1].message
        );
        let text = "pyjwt==2.3.0 \\\n    --hash=sha256:abc\ngunicorn>=20,<22\n";
        let findings = analyze_requirements(Path::new("requirements.txt"), text);
        assert_eq!(findings.len(), 2);
        assert!(
            findings[0]
                .message
                .ends_with(": raise it to 2.15.0 and regenerate its --hash values"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn debug_toolbar_only_in_production_files() {
        let text = "flask-debugtoolbar==0.16.0\n";
        let prod = analyze_requirements(Path::new("requirements.txt"), text);
        assert_eq!(prod.len(), 1);
        assert_eq!(prod[0].kind.code(), "FH107");
        let fix = prod[0].fix.as_ref().unwrap();
        assert_eq!(apply_edits(text, &fix.edits).unwrap(), "");
        assert_eq!(
            fix.dev_file.as_ref().unwrap().apply(None).unwrap(),
            "-r requirements.txt\nflask-debugtoolbar==0.16.0\n"
        );
        for dev in [
            "requirements-dev.txt",
            "requirements/test.txt",
            "requirements-test.txt",
        ] {
            assert!(
                analyze_requirements(Path::new(dev), text).is_empty(),
                "{dev}"
            );
        }
        assert!(
            prod[0].message.ends_with("move it to requirements-dev.txt"),
            "{}",
            prod[0].message
        );
        let nested = analyze_requirements(Path::new("./app/requirements.txt"), text);
        assert!(
            nested[0]
                .message
                .ends_with("move it to requirements-dev.txt")
        );
        let base = analyze_requirements(Path::new("requirements/base.txt"), text);
        assert!(
            base[0].message.ends_with("move it to requirements/dev.txt"),
            "{}",
            base[0].message
        );
        assert_eq!(
            base[0]
                .fix
                .as_ref()
                .unwrap()
                .dev_file
                .as_ref()
                .unwrap()
                .path,
            Path::new("requirements/dev.txt")
        );
    }

    #[test]
    fn pyproject_findings_and_fixes() {
        let text = "[project]\nname = \"api\"\ndependencies = [\n    \"flask==2.2.2\",  # web\n    'jinja2>=3.1.2',\n    \"flask-debugtoolbar\",\n]\n\n[tool.poetry.dependencies]\npyjwt = { version = \"^2.3.0\", extras = [\"crypto\"] }\ngunicorn = \"20.1.0\"\n";
        let findings = analyze_pyproject(text).unwrap();
        let codes: Vec<_> = findings
            .iter()
            .map(|f| (f.kind.code(), f.package.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("FH601", "flask"),
                ("FH601", "jinja2"),
                ("FH107", "flask-debugtoolbar"),
                ("FH601", "pyjwt"),
                ("FH601", "gunicorn"),
            ]
        );
        assert_eq!(&text[findings[0].range.clone()], "\"flask==2.2.2\"");
        assert_fixed(text, &findings[0], "\"flask==2.2.2\"", "\"flask==3.1.3\"");
        assert_fixed(text, &findings[1], "'jinja2>=3.1.2'", "'jinja2>=3.1.6'");
        assert_eq!(
            fixed(text, &findings[2]),
            text.replace("    \"flask-debugtoolbar\",\n", "")
                + "\n[dependency-groups]\ndev = [\"flask-debugtoolbar\"]\n"
        );
        assert_fixed(text, &findings[3], "\"^2.3.0\"", "\"^2.15.0\"");
        assert_fixed(text, &findings[4], "\"20.1.0\"", "\"23.0.0\"");
        assert!(analyze_pyproject("[project").is_err());
    }

    #[test]
    fn analyze_file_dispatches_by_name() {
        assert!(analyze_file(Path::new("requirements-dev.txt"), "flask==2.2.2\n").is_some());
        assert!(analyze_file(Path::new("sub/pyproject.toml"), "").is_some());
        assert!(analyze_file(Path::new("setup.py"), "").is_none());
        assert!(is_dependency_file(Path::new("requirements/prod.txt")));
        assert!(!is_dependency_file(Path::new("app.py")));
    }

    #[test]
    fn comment_ranges_for_suppressions() {
        let text = "# top\r\nflask==2.2.2  # noqa: FH601\r\nurl#frag\n";
        let ranges = comment_ranges(text, false);
        let comments: Vec<_> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(comments, ["# top", "# noqa: FH601"]);
        let toml = "a = \"x # y\"  # real\nb = 'q#' # two\nc = \"\\\"#\"\n";
        let comments: Vec<_> = comment_ranges(toml, true)
            .into_iter()
            .map(|r| &toml[r])
            .collect();
        assert_eq!(comments, ["# real", "# two"]);
    }

    #[test]
    fn toolbar_move_creates_or_extends_the_dev_file() {
        let text = "flask==3.1.3\nflask-debugtoolbar==0.16.0\n";
        let changes = move_debug_toolbar_to_development(Path::new("requirements.txt"), text, None);
        assert_eq!(
            changes,
            [
                FileRewrite {
                    path: "requirements.txt".into(),
                    new_text: "flask==3.1.3\n".into(),
                    created: false,
                },
                FileRewrite {
                    path: "requirements-dev.txt".into(),
                    new_text: "-r requirements.txt\nflask-debugtoolbar==0.16.0\n".into(),
                    created: true,
                },
            ]
        );
        let changes = move_debug_toolbar_to_development(
            Path::new("requirements.txt"),
            text,
            Some("flask-debugtoolbar\n"),
        );
        assert_eq!(changes.len(), 1, "dev file already lists it");
        assert!(
            move_debug_toolbar_to_development(Path::new("requirements-dev.txt"), text, None)
                .is_empty()
        );
        assert!(
            move_debug_toolbar_to_development(Path::new("requirements.txt"), "flask\n", None)
                .is_empty()
        );
    }

    #[test]
    fn add_dependency_dispatches_by_file() {
        assert_eq!(
            add_dependency(
                Path::new("requirements.txt"),
                "flask\n",
                &TALISMAN.requirement()
            )
            .unwrap()
            .unwrap(),
            "flask\nflask-talisman>=1.1.0\n"
        );
        assert_eq!(
            add_dependency(
                Path::new("pyproject.toml"),
                "[project]\ndependencies = []\n",
                &LIMITER.requirement()
            )
            .unwrap()
            .unwrap(),
            "[project]\ndependencies = [\"Flask-Limiter>=4.1.1\"]\n"
        );
        assert!(add_dependency(Path::new("pyproject.toml"), "[x\n", "pydantic").is_err());
    }

    /// Deterministic pseudo-random inputs built from the characters that matter
    /// to the parsers (operators, quotes, brackets, comments, continuations,
    /// CR/LF, multi-byte text): nothing panics, and every fix applies and leaves
    /// a file that parses again.
    #[test]
    fn arbitrary_input_never_panics_and_fixes_apply() {
        const PIECES: &[&str] = &[
            "flask",
            "Flask_Cors",
            "werkzeug",
            "jinja2",
            "gunicorn",
            "flask-debugtoolbar",
            "==",
            "~=",
            ">=",
            "<",
            "!=",
            "^",
            "~",
            "2.2.2",
            "3.0",
            "0.16",
            "1!2.0",
            ".*",
            "rc1",
            "[",
            "]",
            "(",
            ")",
            ",",
            ";",
            " ",
            "\t",
            "#",
            "\\",
            "\n",
            "\r\n",
            "\"",
            "'",
            "=",
            "{",
            "}",
            "é",
            "😀",
            "\u{feff}",
            "-r ",
            "--hash=sha256:00",
            "@",
            "[project]",
            "dependencies = [",
            "[tool.poetry.dependencies]",
            "[dependency-groups]",
            "dev = [",
            "version = ",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..5000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            for finding in analyze_requirements(Path::new("requirements.txt"), &text) {
                if let Some(fix) = &finding.fix {
                    let fixed = apply_edits(&text, &fix.edits).unwrap();
                    analyze_requirements(Path::new("requirements.txt"), &fixed);
                }
            }
            let _ = move_debug_toolbar_to_development(Path::new("requirements.txt"), &text, None);
            let _ = add_dependency(Path::new("requirements.txt"), &text, "pydantic");
            if let Ok(findings) = analyze_pyproject(&text) {
                for finding in findings {
                    if let Some(fix) = &finding.fix {
                        let fixed = apply_edits(&text, &fix.edits).unwrap();
                        assert!(analyze_pyproject(&fixed).is_ok(), "{text:?} -> {fixed:?}");
                    }
                }
            }
            let _ = add_dependency(Path::new("pyproject.toml"), &text, "pydantic>=2");
        }
    }
}
