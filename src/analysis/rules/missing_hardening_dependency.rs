//! FH602 `missing-hardening-dependency`: the dependency half of an FH202 /
//! FH203 / FH301 remediation. `check` never reports it; `fix` adds the
//! package the inserted code imports (the work is in `crate::deps::install`
//! and `crate::remediate::project`).

use crate::analysis::registry::{FixAvailability, RuleDef};
use crate::analysis::rules::Hooks;

/// The rule's documentation, printed by `flask-harden rule FH602`.
pub const DOC: &str = r#"## What it does
Never reported by `check`. When `fix` inserts code that imports
flask-talisman (FH202), Flask-Limiter (FH203) or pydantic (FH301), it adds the
package to the dependency files the project's installs actually read, as a
follow-up of the same run.

## Why is this bad?
Hardening code whose package is not installed breaks the app at import: the
fix would turn a missing header into a crash in production, or into
`No module named 'flask_limiter'` in CI.

## Example
```text
# Dockerfile
RUN pip install -r requirements/prod.txt
```

Use instead:
```text
# requirements/prod.txt
Flask==3.1.3
flask-talisman>=1.1.0
Flask-Limiter>=4.1.1
```

## Fix safety
The fix is safe. The files edited are those the installs read: the
`pip install -r FILE` / `--requirement FILE` lines of the project's
Dockerfiles, tox.ini, CI workflows (`.github/workflows`, `.gitlab-ci.yml`,
CircleCI), Makefile and noxfile, `pip install .` / `-e .` (the pyproject's
dependencies), and the root `requirements.txt` when a Procfile shows a
platform that installs it; production files first. A test install that
includes a production file (`-r requirements/prod.txt`) gets the package
through that file; a file that nothing installs is left alone. With no
installer in sight, `requirements.txt` (else `pyproject.toml`) is edited. A
package already listed in a file's `-r` chain is not added again. Formatting,
comments and line endings are kept.

The added releases' own requirements are checked against the file's pins
(Flask-Limiter 4.1.1 needs Flask>=2, limits>=3.13, typing-extensions>=4.3, ...;
pydantic 2.14.4 needs typing-extensions>=4.16.0, pydantic-core==2.50.5, ...):
when a pin makes the install unresolvable (`typing_extensions==4.8.0` next to
pydantic), the package is not added and the run says which pin to raise. The
remediation whose code imports it (FH202 Talisman, FH203 Limiter, FH301
pydantic model) is then withheld as well: the finding is left for a person
("fix withheld", with the pin to raise), because code that imports a package
the installs cannot provide stops the app at start-up.

## References
- CWE-693: Protection Mechanism Failure, https://cwe.mitre.org/data/definitions/693.html
- OWASP Top 10 A05:2021 Security Misconfiguration, https://owasp.org/Top10/A05_2021-Security_Misconfiguration/
- pip requirements file format, https://pip.pypa.io/en/stable/reference/requirements-file-format/
"#;

/// The rule's declaration, listed in the registry.
pub const RULE: RuleDef = RuleDef {
    name: "missing-hardening-dependency",
    fix: FixAvailability::Safe,
    cwe: "CWE-693",
    owasp: "A05:2021",
    owasp_title: "Security Misconfiguration",
    summary: "A hardening package missing from the dependencies (produced by `fix`, never by `check`)",
    doc: Some(DOC),
    hooks: Hooks::NONE,
};
