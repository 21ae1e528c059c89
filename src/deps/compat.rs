//! Raises that pip can install together. The FH601 fix raises a requirement to
//! a fixed release, and that release has requirements of its own: Flask 3.1.3
//! needs `werkzeug>=3.1.0`, so raising Flask next to `Werkzeug==2.0.3` gives
//! a file pip refuses to install.
//!
//! [`plan`] works on one dependency list (a `requirements*.txt`, or one list
//! or table of `pyproject.toml`). It first settles the final version of every
//! raise in the list, then checks the requirements of every release whose
//! version is known (a raise, or an exact pin that is in the release table of
//! [`super::metadata`]) against the other requirements of the list, with their
//! raised versions. A conflict that involves a raise is resolved by raising
//! the other requirement too, to the smallest version that satisfies the
//! requirement and that no advisory affects, chosen among the versions known
//! to exist: the `fixed` versions of the advisory table and the exact lower
//! bound of the requirement. When there is no such version (an upper bound,
//! `--hash` values, a requirement that would have to go down), the raise that
//! caused it gets no fix and a message naming the conflict.
//!
//! Each finding's fix carries every raise its own raise needs against the
//! file as it is, so that accepting one fix and declining another never leaves
//! a file pip cannot install. Two requirements of one package that both carry
//! markers, and different ones, are taken to be for different environments.

use std::collections::BTreeMap;

use pep440_rs::Version;

use super::advisory;
use super::metadata::{Dependency, releases};
use super::requirement::{Clause, Op};
use super::{clause_allows, poetry_upper, raise_clauses, raise_clauses_rewriting_bound};
use crate::edit::Edit;

/// One requirement of the dependency list, as the planner sees it.
#[derive(Debug, Clone)]
pub struct Pin<'a> {
    /// The package as written.
    pub name: &'a str,
    /// PEP 503 normalised.
    pub normalized: &'a str,
    /// The extras it asks for.
    pub extras: &'a [String],
    pub clauses: &'a [Clause],
    /// The requirement as written, for messages.
    pub shown: &'a str,
    /// Its environment marker, if any.
    pub marker: Option<&'a str>,
    /// Its version clauses can be edited in place.
    pub editable: bool,
    /// The version its own FH601 finding raises it to (only when that finding
    /// has a fix on its own).
    pub target: Option<Version>,
}

/// One requirement raised by a fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raise {
    /// The index of the pin.
    pub pin: usize,
    pub version: Version,
    pub edits: Vec<Edit>,
    /// What it is raised to satisfy, when that is not its own advisory:
    /// `flask 3.1.3, which requires Werkzeug>=3.1.0`.
    pub because: Option<String>,
    /// An upper bound of the project's that the raise had to move
    /// (`<3.0 becomes <4.0`): the fix is then unsafe.
    pub rewrites: Option<String>,
}

/// What becomes of one pin's FH601 fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// The raises of the fix, the pin's own first.
    Raise(Vec<Raise>),
    /// No fix: the raise conflicts with the list, for the reason given.
    Conflict(String),
}

/// A raise settled for the whole list.
#[derive(Debug, Clone)]
struct Planned {
    version: Version,
    /// The pin's clauses after the raise.
    clauses: Vec<Clause>,
    edits: Vec<Edit>,
    /// The pin whose requirement caused the raise; `None` for a finding's own.
    cause: Option<usize>,
    because: Option<String>,
    /// The upper bound this raise moves, if it had to (see [`Raise::rewrites`]).
    rewrites: Option<String>,
}

type Finals = BTreeMap<usize, Planned>;

/// A requirement of pin `requirer` at its known version that the clauses of
/// pin `required` cannot meet.
struct Clash {
    requirer: usize,
    required: usize,
    dependency: &'static Dependency,
}

/// Plans the FH601 raises of one dependency list. `list` names it in messages
/// (`requirements.txt`, `[project].dependencies`). One entry per pin: `None`
/// for pins without a `target`.
pub fn plan(pins: &[Pin], list: &str) -> Vec<Option<Plan>> {
    let mut blocked: BTreeMap<usize, String> = BTreeMap::new();
    // Every round blocks one more finding, so this ends.
    let finals = loop {
        let mut finals = own_raises(pins, &blocked);
        match settle(pins, &mut finals) {
            None => break finals,
            Some(clash) => {
                let (culprit, message) = describe(pins, &finals, &clash, list);
                blocked.insert(culprit, message);
            }
        }
    };
    (0..pins.len())
        .map(|p| {
            pins[p].target.as_ref()?;
            if let Some(message) = blocked.get(&p) {
                return Some(Plan::Conflict(message.clone()));
            }
            finals
                .get(&p)
                .map(|_| Plan::Raise(closure(pins, &finals, p)))
        })
        .collect()
}

/// Every finding's own raise.
fn own_raises(pins: &[Pin], blocked: &BTreeMap<usize, String>) -> Finals {
    let mut finals = Finals::new();
    for (i, pin) in pins.iter().enumerate() {
        let Some(target) = pin.target.as_ref().filter(|_| !blocked.contains_key(&i)) else {
            continue;
        };
        let raised = raise_clauses(pin.clauses, target)
            .map(|(edits, clauses)| (edits, clauses, None))
            .or_else(|| {
                raise_clauses_rewriting_bound(pin.clauses, target).map(|(edits, clauses, what)| {
                    (edits, clauses, Some(format!("{} {what}", pin.name)))
                })
            });
        if let Some((edits, clauses, rewrites)) = raised {
            finals.insert(
                i,
                Planned {
                    version: target.clone(),
                    clauses,
                    edits,
                    cause: None,
                    because: None,
                    rewrites,
                },
            );
        }
    }
    finals
}

/// The version pin `i` is installed at, when it is known: its raise, or an
/// exact pin.
fn known_version(pins: &[Pin], finals: &Finals, i: usize) -> Option<Version> {
    if let Some(planned) = finals.get(&i) {
        return Some(planned.version.clone());
    }
    pins[i]
        .clauses
        .iter()
        .find(|c| matches!(c.op, Op::Equal | Op::ArbitraryEqual | Op::Bare))
        .and_then(Clause::parsed_version)
}

/// Two requirements of one package that apply in different environments.
fn different_environments(a: Option<&str>, b: Option<&str>) -> bool {
    let squeeze = |m: &str| m.split_whitespace().collect::<String>();
    matches!((a, b), (Some(a), Some(b)) if squeeze(a) != squeeze(b))
}

/// The requirements of the known release of pin `requirer` that name another
/// pin of the list, with that pin: `(dependency, required)`.
fn requirements<'p>(
    pins: &'p [Pin],
    finals: &Finals,
    requirer: usize,
) -> impl Iterator<Item = (&'static Dependency, usize)> + 'p {
    let pin = &pins[requirer];
    let release = known_version(pins, finals, requirer)
        .and_then(|version| releases().find(pin.normalized, &version));
    release
        .into_iter()
        .flat_map(|r| r.requires.iter())
        .filter(|d| d.applies(pin.extras))
        .flat_map(move |d| {
            pins.iter()
                .enumerate()
                .filter(move |(j, other)| {
                    *j != requirer
                        && other.normalized == d.normalized
                        && !different_environments(pin.marker, other.marker)
                })
                .map(move |(j, _)| (d, j))
        })
}

/// Raises pins until every requirement of a known release that involves a
/// raise is met; the first conflict that cannot be resolved.
fn settle(pins: &[Pin], finals: &mut Finals) -> Option<Clash> {
    // Every change raises a pin to a strictly higher version of a finite set,
    // so this ends.
    loop {
        let mut changed = false;
        for requirer in 0..pins.len() {
            let found: Vec<_> = requirements(pins, finals, requirer).collect();
            for (dependency, required) in found {
                let raised = finals.contains_key(&requirer);
                let clauses = finals
                    .get(&required)
                    .map_or(pins[required].clauses, |p| p.clauses.as_slice());
                if (!raised && !finals.contains_key(&required))
                    || compatible(clauses, &dependency.clauses)
                {
                    continue;
                }
                let version = known_version(pins, finals, requirer)
                    .map(|v| v.to_string())
                    .unwrap_or_default();
                let because = format!(
                    "{} {version}, which requires {}{}",
                    pins[requirer].name,
                    pins[required].name,
                    dependency.specifier()
                );
                let raise = raised
                    .then(|| co_raise(&pins[required], finals.get(&required), dependency))
                    .flatten();
                let Some((version, edits, clauses, rewrites)) = raise else {
                    return Some(Clash {
                        requirer,
                        required,
                        dependency,
                    });
                };
                // The first cause stays: it was raised before, so causes
                // never form a cycle.
                let cause = finals.get(&required).map_or(Some(requirer), |p| p.cause);
                finals.insert(
                    required,
                    Planned {
                        version,
                        clauses,
                        edits,
                        cause,
                        because: Some(because),
                        rewrites,
                    },
                );
                changed = true;
            }
        }
        if !changed {
            return None;
        }
    }
}

/// The smallest known version of `pin` that meets `dependency`, that no
/// advisory affects, and that its clauses can be raised to (above its
/// current raise, if any). When only an upper bound of the project's stands in
/// the way (`Werkzeug<3.0` against flask 3.1.3's `werkzeug>=3.1.0`), the raise
/// moves that bound too and says so (an unsafe fix: the bound may be there
/// for a reason).
#[allow(clippy::type_complexity)]
fn co_raise(
    pin: &Pin,
    current: Option<&Planned>,
    dependency: &Dependency,
) -> Option<(Version, Vec<Edit>, Vec<Clause>, Option<String>)> {
    if !pin.editable {
        return None;
    }
    let table = advisory::table();
    let mut candidates: Vec<Version> = table
        .for_package(pin.normalized)
        .flat_map(|a| a.fixed.iter().cloned())
        .chain(
            dependency
                .clauses
                .iter()
                .filter(|c| {
                    matches!(
                        c.op,
                        Op::GreaterEqual | Op::Equal | Op::Compatible | Op::ArbitraryEqual
                    )
                })
                .filter_map(Clause::parsed_version),
        )
        .collect();
    candidates.sort();
    candidates.dedup();
    let candidates: Vec<Version> = candidates
        .into_iter()
        .filter(|v| current.is_none_or(|p| *v > p.version))
        .filter(|v| dependency.clauses.iter().all(|c| clause_allows(c, v)))
        .filter(|v| table.affecting(pin.normalized, v).is_empty())
        .collect();
    candidates
        .iter()
        .find_map(|v| {
            raise_clauses(pin.clauses, v).map(|(edits, clauses)| (v.clone(), edits, clauses, None))
        })
        .or_else(|| {
            // Only the bound as the project wrote it is moved, never one a
            // previous raise of this list already moved.
            if current.is_some_and(|p| p.rewrites.is_some()) {
                return None;
            }
            candidates.iter().find_map(|v| {
                raise_clauses_rewriting_bound(pin.clauses, v).map(|(edits, raised, what)| {
                    (
                        v.clone(),
                        edits,
                        raised,
                        Some(format!("{} {what}", pin.name)),
                    )
                })
            })
        })
}

/// The finding whose raise started the chain that raised pin `i`.
fn root(finals: &Finals, mut i: usize) -> usize {
    while let Some(cause) = finals.get(&i).and_then(|p| p.cause) {
        i = cause;
    }
    i
}

/// The finding to leave unfixed for a clash, and the message saying why.
fn describe(pins: &[Pin], finals: &Finals, clash: &Clash, list: &str) -> (usize, String) {
    let Clash {
        requirer,
        required,
        dependency,
    } = *clash;
    let (i, j) = (&pins[requirer], &pins[required]);
    let needed = format!("{}{}", j.name, dependency.specifier());
    let raising = |pin: usize| {
        let culprit = root(finals, pin);
        let lead = format!(
            "raising {} to {}",
            pins[culprit].name, finals[&culprit].version
        );
        let lead = if culprit == pin {
            lead
        } else {
            format!(
                "{lead} raises {} to {}, which",
                pins[pin].name, finals[&pin].version
            )
        };
        (culprit, lead)
    };
    if finals.contains_key(&requirer) {
        let (culprit, lead) = raising(requirer);
        let what = match finals.get(&required) {
            Some(p) => format!("raises {} to {}", j.name, p.version),
            None => format!("pins {}", j.shown),
        };
        (
            culprit,
            format!("{lead} needs {needed} but {list} {what}; raise both"),
        )
    } else {
        let (culprit, lead) = raising(required);
        let version = known_version(pins, finals, requirer)
            .map(|v| v.to_string())
            .unwrap_or_default();
        (
            culprit,
            format!(
                "{lead} conflicts with {} in {list} ({} {version} requires {needed}); raise both",
                i.shown, i.name
            ),
        )
    }
}

/// The raises pin `p`'s fix needs against the list as it is: its own, and
/// every pin whose present clauses do not meet a requirement of a raised
/// release, transitively.
fn closure(pins: &[Pin], finals: &Finals, p: usize) -> Vec<Raise> {
    let own = &finals[&p];
    let mut raises = vec![Raise {
        pin: p,
        version: own.version.clone(),
        edits: own.edits.clone(),
        because: own.because.clone(),
        rewrites: own.rewrites.clone(),
    }];
    let mut next = 0;
    while next < raises.len() {
        let requirer = raises[next].pin;
        next += 1;
        let found: Vec<_> = requirements(pins, finals, requirer).collect();
        for (dependency, required) in found {
            if raises.iter().any(|r| r.pin == required)
                || compatible(pins[required].clauses, &dependency.clauses)
            {
                continue;
            }
            // Settled lists meet every requirement, so the pin is raised.
            let Some(planned) = finals.get(&required) else {
                continue;
            };
            raises.push(Raise {
                pin: required,
                version: planned.version.clone(),
                edits: planned.edits.clone(),
                rewrites: planned.rewrites.clone(),
                because: Some(format!(
                    "{} {}, which requires {}{}",
                    pins[requirer].name,
                    finals[&requirer].version,
                    pins[required].name,
                    dependency.specifier()
                )),
            });
        }
    }
    // The finding's own raise first, the others in file order.
    raises[1..].sort_by_key(|r| r.pin);
    raises
}

/// One end of a version interval.
#[derive(Debug, Clone)]
struct Bound {
    version: Version,
    inclusive: bool,
}

/// The versions a set of clauses allows, as an interval minus single versions.
#[derive(Debug, Default)]
struct Interval {
    lower: Option<Bound>,
    upper: Option<Bound>,
    excluded: Vec<Version>,
}

impl Interval {
    fn raise_lower(&mut self, version: Version, inclusive: bool) {
        let tighter = match &self.lower {
            None => true,
            Some(b) => version > b.version || (version == b.version && !inclusive),
        };
        if tighter {
            self.lower = Some(Bound { version, inclusive });
        }
    }

    fn lower_upper(&mut self, version: Version, inclusive: bool) {
        let tighter = match &self.upper {
            None => true,
            Some(b) => version < b.version || (version == b.version && !inclusive),
        };
        if tighter {
            self.upper = Some(Bound { version, inclusive });
        }
    }

    fn add(&mut self, clause: &Clause) {
        if clause.wildcard {
            let prefix = clause.version.trim_end_matches(".*");
            if let (Op::Equal, Ok(base)) = (clause.op, prefix.parse::<Version>()) {
                let next = bump(base.release(), base.release().len() - 1);
                self.raise_lower(base, true);
                self.lower_upper(next, false);
            }
            return;
        }
        let Some(version) = clause.parsed_version() else {
            return;
        };
        match clause.op {
            Op::Equal | Op::ArbitraryEqual | Op::Bare => {
                self.raise_lower(version.clone(), true);
                self.lower_upper(version, true);
            }
            Op::NotEqual => self.excluded.push(version),
            Op::Compatible => {
                let release = version.release();
                if release.len() >= 2 {
                    self.lower_upper(bump(release, release.len() - 2), false);
                }
                self.raise_lower(version, true);
            }
            Op::GreaterEqual => self.raise_lower(version, true),
            Op::Greater => self.raise_lower(version, false),
            Op::LessEqual => self.lower_upper(version, true),
            Op::Less => self.lower_upper(version, false),
            Op::Caret | Op::Tilde => {
                self.lower_upper(poetry_upper(clause.op, &version), false);
                self.raise_lower(version, true);
            }
        }
    }

    fn is_empty(&self) -> bool {
        let (Some(lower), Some(upper)) = (&self.lower, &self.upper) else {
            return false;
        };
        lower.version > upper.version
            || (lower.version == upper.version
                && !(lower.inclusive && upper.inclusive && !self.excluded.contains(&lower.version)))
    }
}

/// The release `release[..=index]` with its last part incremented.
fn bump(release: &[u64], index: usize) -> Version {
    let mut parts = release[..=index].to_vec();
    parts[index] += 1;
    Version::new(parts)
}

/// Whether some version meets both sets of clauses.
pub fn compatible(a: &[Clause], b: &[Clause]) -> bool {
    let mut interval = Interval::default();
    for clause in a.iter().chain(b) {
        interval.add(clause);
    }
    !interval.is_empty()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::deps::edit::apply_edits;
    use crate::deps::requirement::{Requirement, parse_requirement};
    use crate::deps::{DepFinding, analyze_pyproject, analyze_requirements};

    fn clauses(spec: &str) -> Vec<Clause> {
        parse_requirement(&format!("x{spec}"), 0).unwrap().clauses
    }

    fn findings(text: &str) -> Vec<DepFinding> {
        analyze_requirements(Path::new("requirements.txt"), text)
    }

    /// The finding of `package` (as written).
    fn finding<'a>(all: &'a [DepFinding], package: &str) -> &'a DepFinding {
        all.iter()
            .find(|f| f.package == package)
            .unwrap_or_else(|| panic!("no finding for {package}"))
    }

    /// The text after the fix of `package`'s finding.
    fn fixed(text: &str, package: &str) -> String {
        let all = findings(text);
        let fix = finding(&all, package).fix.as_ref().expect("a fix");
        apply_edits(text, &fix.edits).unwrap()
    }

    #[test]
    fn compatible_intersects_version_intervals() {
        let ok = |a: &str, b: &str| compatible(&clauses(a), &clauses(b));
        assert!(ok("==2.0.3", ">=2.0"));
        assert!(!ok("==2.0.3", ">=2.2.2"));
        assert!(
            ok(">=2.0", ">=3.1.0"),
            "no upper bound: pip picks a newer one"
        );
        assert!(!ok("<3.0", ">=3.1.0"));
        assert!(!ok(">=2.0,<3", ">=3.1.0"));
        assert!(ok(">=2.0,<3.2", ">=3.1.0"));
        assert!(!ok("~=2.0", ">=3.1.0"), "~=2.0 is <3");
        assert!(ok("~=3.0", ">=3.1.0"));
        assert!(!ok("~=3.0.1", ">=3.1.0"), "~=3.0.1 is <3.1");
        assert!(!ok("==2.*", ">=3.1.0"));
        assert!(ok("==3.*", ">=3.1.0"));
        assert!(!ok("==3.1.0", "!=3.1.0"));
        assert!(ok(">=3.0,!=3.1.0", ">=3.1.0"));
        assert!(!ok("<=3.0", ">3.0"));
        assert!(ok("<=3.0", ">=3.0"));
        assert!(ok("", ">=3.1.0"));
        assert!(!ok("==3.1.3", "<3.0.0,>=2"));
        let poetry = |c: &str| crate::deps::pyproject::parse_poetry_constraint(c, 0);
        assert!(!compatible(&poetry("^2.2"), &clauses(">=3.1.0")));
        assert!(compatible(&poetry("^3.0"), &clauses(">=3.1.0")));
        assert!(!compatible(&poetry("~3.0"), &clauses(">=3.1.0")));
    }

    #[test]
    fn a_pinned_dependency_is_raised_with_the_finding_that_needs_it() {
        let text = "flask==2.0.1\nWerkzeug==2.0.3\n";
        let all = findings(text);
        let flask = finding(&all, "flask");
        let fix = flask.fix.as_ref().unwrap();
        // Flask 2 -> 3 crosses a major version: said, and unsafe (deps::major).
        assert_eq!(
            fix.message,
            "Raise flask to 3.1.3; raise Werkzeug to 3.1.9 to satisfy flask 3.1.3, which requires Werkzeug>=3.1.0 (crosses major versions, flask 2 -> 3, werkzeug 2 -> 3: review the changelogs, run the tests)"
        );
        assert!(fix.crosses_major);
        assert!(
            flask.message.ends_with(
                ": raise it to 3.1.3, and Werkzeug to 3.1.9 so that requirements.txt can still be installed"
            ),
            "{}",
            flask.message
        );
        assert_eq!(fixed(text, "flask"), "flask==3.1.3\nWerkzeug==3.1.9\n");
        // Werkzeug's own fix would leave Flask 2.0 on Werkzeug 3, which it
        // cannot import (deps::major): withheld, naming the pin.
        let werkzeug = finding(&all, "Werkzeug");
        assert!(werkzeug.fix.is_none());
        assert!(
            werkzeug.message.contains(
                "`flask==2.0.1` (flask 3.0.0 or later is the first to work with werkzeug 3)"
            ),
            "{}",
            werkzeug.message
        );
    }

    #[test]
    fn dependencies_without_advisories_go_to_the_required_lower_bound() {
        let text = "flask==2.2.2\nitsdangerous==2.0.1\nclick>=7.1,<9\nblinker==1.4\nJinja2==3.1.6\nMarkupSafe==2.0.1  # templates\nrequests==2.0\n";
        assert_eq!(
            fixed(text, "flask"),
            "flask==3.1.3\nitsdangerous==2.2.0\nclick>=7.1,<9\nblinker==1.9\nJinja2==3.1.6\nMarkupSafe==2.1.1  # templates\nrequests==2.0\n"
        );
        // A transitive requirement: jinja2 3.1.6 needs MarkupSafe>=2.0.
        let text = "jinja2==3.1.2\nmarkupsafe==1.1.1\n";
        assert_eq!(fixed(text, "jinja2"), "jinja2==3.1.6\nmarkupsafe==2.0\n");
        let text = "flask==2.2.2\nWerkzeug==2.0.3\nMarkupSafe==1.1.1\n";
        assert_eq!(
            fixed(text, "flask"),
            "flask==3.1.3\nWerkzeug==3.1.9\nMarkupSafe==2.1.1\n"
        );
    }

    #[test]
    fn an_upper_bound_that_excludes_the_needed_version_withdraws_the_fix() {
        let text = "flask==2.0.1\r\nWerkzeug<3.0\r\n";
        let all = findings(text);
        let flask = finding(&all, "flask");
        assert!(flask.fix.is_none());
        assert!(
            flask.message.ends_with(
                ": raising flask to 3.1.3 needs Werkzeug>=3.1.0 but requirements.txt pins Werkzeug<3.0; raise both"
            ),
            "{}",
            flask.message
        );
        // With a lower bound to raise, an unsafe fix moves the upper bound
        // and says so; the file it leaves meets flask 3.1.3's requirements.
        let text = "flask==2.0.1\nWerkzeug>=2.0,<3 ; python_version >= \"3.8\"\n";
        let all = findings(text);
        let flask = finding(&all, "flask");
        let fix = flask.fix.as_ref().unwrap();
        assert!(fix.rewrites_bound);
        assert_eq!(
            apply_edits(text, &fix.edits).unwrap(),
            "flask==3.1.3\nWerkzeug>=3.1.9,<4 ; python_version >= \"3.8\"\n"
        );
        assert!(
            flask
                .message
                .contains("(moving an upper bound of requirements.txt: Werkzeug <3 becomes <4; review why it was set)"),
            "{}",
            flask.message
        );
        assert_fixes_installable(text);
        // Lines with --hash values cannot be raised.
        let text = "flask==2.0.1\nWerkzeug==2.0.3 --hash=sha256:00\n";
        let all = findings(text);
        let flask = finding(&all, "flask");
        assert!(flask.fix.is_none());
        assert!(
            flask
                .message
                .ends_with("but requirements.txt pins Werkzeug==2.0.3; raise both"),
            "{}",
            flask.message
        );
    }

    #[test]
    fn a_pinned_release_whose_requirements_exclude_the_raise_blocks_it() {
        // Flask-AppBuilder 4.6.2 requires Flask<3: raising Flask to 3.1.3 breaks it.
        let text = "flask_appbuilder==4.6.2\nFLASK==2.2.2\n";
        let all = findings(text);
        let flask = finding(&all, "FLASK");
        assert!(flask.fix.is_none());
        assert!(
            flask.message.ends_with(
                ": raising FLASK to 3.1.3 conflicts with flask_appbuilder==4.6.2 in requirements.txt (flask_appbuilder 4.6.2 requires FLASK<3.0.0,>=2); raise both"
            ),
            "{}",
            flask.message
        );
        // A raise that would need another requirement to go down.
        let text = "flask-appbuilder==4.1.0\nflask==3.1.3\n";
        let all = findings(text);
        let fab = finding(&all, "flask-appbuilder");
        assert!(fab.fix.is_none());
        assert!(
            fab.message.ends_with(
                ": raising flask-appbuilder to 4.6.2 needs flask<3.0.0,>=2 but requirements.txt pins flask==3.1.3; raise both"
            ),
            "{}",
            fab.message
        );
    }

    #[test]
    fn spellings_extras_and_markers() {
        // Names match whatever their spelling.
        let text = "Flask_Cors==6.0.0\nflask==2.2.2\nWERKZEUG==3.0.0\n";
        assert_eq!(
            fixed(text, "flask"),
            "Flask_Cors==6.0.0\nflask==3.1.3\nWERKZEUG==3.1.9\n"
        );
        // Spacing and parenthesised specifiers are kept.
        let text = "flask == 2.2.2\nWerkzeug ( ~= 2.0 , != 2.0.1 )\nclick ==  8.0.1\n";
        assert_eq!(
            fixed(text, "flask"),
            "flask == 3.1.3\nWerkzeug ( ~= 3.1.9 , != 2.0.1 )\nclick ==  8.1.3\n"
        );
        // Requirements under an extra apply only when the extra is asked for.
        let text = "flask[async]==2.2.2\nasgiref==3.1\n";
        assert_eq!(fixed(text, "flask"), "flask[async]==3.1.3\nasgiref==3.2\n");
        let text = "flask==2.2.2\nasgiref==3.1\n";
        assert_eq!(fixed(text, "flask"), "flask==3.1.3\nasgiref==3.1\n");
        // The same marker on both lines: one environment; the marker is kept.
        let text = "flask==2.2.2 ; python_version >= \"3.9\"\nwerkzeug==2.0.3 ; python_version >= \"3.9\"\n";
        assert_eq!(
            fixed(text, "flask"),
            "flask==3.1.3 ; python_version >= \"3.9\"\nwerkzeug==3.1.9 ; python_version >= \"3.9\"\n"
        );
        // Different markers on both lines: different environments.
        let text =
            "flask==2.2.2 ; python_version >= \"3.9\"\nwerkzeug<3 ; python_version < \"3.9\"\n";
        assert_eq!(
            fixed(text, "flask"),
            "flask==3.1.3 ; python_version >= \"3.9\"\nwerkzeug<3 ; python_version < \"3.9\"\n"
        );
        // A marker on one line only: the other applies everywhere.
        let text = "flask==2.2.2 ; python_version >= \"3.9\"\nwerkzeug<3\n";
        assert!(finding(&findings(text), "flask").fix.is_none());
    }

    #[test]
    fn pyproject_lists_are_planned_one_by_one() {
        let text = "[project]\ndependencies = [\n    \"flask==2.2.2\",\n    'werkzeug~=2.0',  # pinned\n]\n\n[project.optional-dependencies]\nlegacy = [\"werkzeug<3\"]\n\n[tool.poetry.dependencies]\nflask = \"^2.2\"\nitsdangerous = { version = \"2.0.1\", extras = [] }\nclick = \"^8.0\"\n";
        let all = analyze_pyproject(text).unwrap();
        let fixes: Vec<String> = all
            .iter()
            .filter_map(|f| f.fix.as_ref())
            .map(|f| apply_edits(text, &f.edits).unwrap())
            .collect();
        assert_eq!(
            fixes.len(),
            2,
            "flask in [project] and in poetry; werkzeug 3 alone would break flask 2.2.2"
        );
        assert_eq!(
            fixes[0],
            text.replace("\"flask==2.2.2\"", "\"flask==3.1.3\"")
                .replace("'werkzeug~=2.0'", "'werkzeug~=3.1.9'")
        );
        assert_eq!(
            fixes[1],
            text.replace("flask = \"^2.2\"", "flask = \"^3.1.3\"")
                .replace("\"2.0.1\"", "\"2.2.0\""),
            "click ^8.0 allows 8.1.3: left alone"
        );
        // An upper bound in a Poetry table.
        let text = "[tool.poetry.dependencies]\nflask = \"2.2.2\"\nwerkzeug = \"<3\"\n";
        let all = analyze_pyproject(text).unwrap();
        assert!(all[0].fix.is_none());
        assert!(
            all[0].message.ends_with(
                "raising flask to 3.1.3 needs werkzeug>=3.1.0 but [tool.poetry.dependencies] pins werkzeug = \"<3\"; raise both"
            ),
            "{}",
            all[0].message
        );
    }

    #[test]
    fn a_raise_needed_by_another_release_goes_higher_than_its_own_target() {
        // flask-cors 6.0.0 needs only Flask>=0.9, so its own raise is enough
        // for Flask 0.12.3; Flask 3.1.3 is needed by nothing here.
        let text = "flask==0.12.2\nflask-cors==3.0.8\n";
        assert_eq!(
            fixed(text, "flask-cors"),
            "flask==0.12.2\nflask-cors==6.0.0\n"
        );
        // flask-security-too 5.3.3 requires Flask>=2.3.2; flask's own target
        // (3.1.3) meets it, and flask-security-too's fix raises flask too.
        let text = "flask-security-too==5.0.0\nflask==2.2.2\n";
        let all = findings(text);
        let fst = finding(&all, "flask-security-too");
        assert_eq!(
            apply_edits(text, &fst.fix.as_ref().unwrap().edits).unwrap(),
            "flask-security-too==5.3.3\nflask==3.1.3\n"
        );
    }

    /// Whether line `a` of a requirements file, at version `version`, has a
    /// requirement that line `b` cannot meet.
    fn unmet(a: &Requirement, version: &Version, b: &Requirement) -> Option<String> {
        let release = releases().find(&a.normalized, version)?;
        release
            .requires
            .iter()
            .filter(|d| d.applies(&a.extras) && d.normalized == b.normalized)
            .find(|d| !compatible(&b.clauses, &d.clauses))
            .map(|d| format!("{} {version} needs {}{}", a.name, d.name, d.specifier()))
    }

    /// After any one fix, every line the fix changed meets the requirements
    /// of every release the file pins exactly, and its own release's
    /// requirements are met by every other line.
    fn assert_fixes_installable(text: &str) {
        let pinned = |r: &Requirement| {
            r.clauses
                .iter()
                .find(|c| c.op == Op::Equal)
                .and_then(Clause::parsed_version)
        };
        for f in findings(text) {
            let Some(fix) = &f.fix else { continue };
            let after = apply_edits(text, &fix.edits).unwrap();
            let before = crate::deps::requirements_txt::parse(text);
            let parsed = crate::deps::requirements_txt::parse(&after);
            let lines: Vec<&Requirement> = parsed.requirements().map(|(_, r)| r).collect();
            let old: Vec<&Requirement> = before.requirements().map(|(_, r)| r).collect();
            // Offsets move with the edits: compare operators and versions.
            let spec = |r: &Requirement| -> Vec<(Op, String)> {
                r.clauses
                    .iter()
                    .map(|c| (c.op, c.version.clone()))
                    .collect()
            };
            for (i, a) in lines.iter().enumerate() {
                let changed = spec(a) != spec(old[i]);
                for (j, b) in lines.iter().enumerate() {
                    let b_changed = spec(b) != spec(old[j]);
                    if i == j || !(changed || b_changed) {
                        continue;
                    }
                    let version = if changed {
                        crate::deps::lowest_allowed(&a.clauses)
                    } else {
                        pinned(a)
                    };
                    if let Some(why) = version.and_then(|v| unmet(a, &v, b)) {
                        panic!("{text:?} -> fix {:?}:\n{after}\n{why}", fix.message);
                    }
                }
            }
        }
    }

    #[test]
    fn every_fix_leaves_a_file_that_meets_the_embedded_requirements() {
        for text in [
            "flask==2.0.1\nWerkzeug==2.0.3\nJinja2==2.11.3\nitsdangerous==1.1.0\nclick==7.1.2\nMarkupSafe==1.1.1\n",
            "flask==1.1.2\nflask-cors==3.0.8\nWerkzeug>=1.0,<2.1\ngunicorn==20.0.4\n",
            "Flask-Security-Too==4.0.0\nFlask==1.1.4\nitsdangerous==1.1.0\nblinker==1.4\n",
        ] {
            assert_fixes_installable(text);
        }
    }

    /// Deterministic pseudo-random files of Flask-stack requirements: planning
    /// ends, never panics, and every fix keeps the file installable.
    #[test]
    fn arbitrary_stacks_plan_installable_fixes() {
        const PACKAGES: &[&str] = &[
            "flask",
            "Werkzeug",
            "jinja2",
            "MarkupSafe",
            "itsdangerous",
            "click",
            "blinker",
            "flask_cors",
            "flask-appbuilder",
            "flask-security-too",
            "Flask-Login",
            "gunicorn",
            "packaging",
            "flask[async]",
            "asgiref",
        ];
        const SPECS: &[&str] = &[
            "==0.12.2",
            "==1.0.2",
            "==2.0.1",
            "==2.2.2",
            "==3.0.0",
            "==3.1.3",
            "==4.1.0",
            "==5.0.0",
            "==8.0.1",
            "==1.4",
            ">=2.0",
            "~=2.0",
            "<3",
            ">=2.0,<3",
            "",
            "==2.*",
            "==20.1.0",
            "~=3.1.2",
            ">=1.0,<2.2",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..1500 {
            let lines = 2 + (next() % 6) as usize;
            let text: String = (0..lines)
                .map(|_| {
                    let package = PACKAGES[(next() % PACKAGES.len() as u64) as usize];
                    let spec = SPECS[(next() % SPECS.len() as u64) as usize];
                    format!("{package}{spec}\n")
                })
                .collect();
            assert_fixes_installable(&text);
        }
    }
}
