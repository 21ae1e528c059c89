#!/usr/bin/env python3
"""Regenerates the hashed lock files of the generated project
(templates/flask-api/requirements.lock.tera and requirements-dev.lock.tera).

For every combination of the template's dependency choices (auth, db,
rate-limit storage) a project is generated with the flask-harden binary, and
its requirements.txt and requirements-dev.txt are compiled with
`uv pip compile --universal --generate-hashes` (every transitive package
pinned, with the hashes of all its files, for every platform and Python the
project supports). All combinations share one resolution: they are compiled
against the versions the all-options resolution chose. The locks are then
merged into one tera template each: a package appears under the condition
that holds exactly for the combinations that need it.

Needs the registry (run it where packages can be downloaded) and uv:
    python3 scripts/lock.py [--uv PATH] [--binary PATH]
Run it after changing a pin in requirements.txt.tera or requirements-dev.txt;
the integration tests check that every lock agrees with the pins.
"""

from __future__ import annotations

import argparse
import itertools
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / "flask-api"
CHOICES = {
    "auth": ("none", "jwt"),
    "db": ("none", "sqlalchemy"),
    "rate_limit_storage": ("memory", "redis"),
}
FLAGS = {"auth": "--auth", "db": "--db", "rate_limit_storage": "--rate-limit-storage"}
LOCKS = {"requirements.txt": "requirements.lock", "requirements-dev.txt": "requirements-dev.lock"}
PYTHON = "3.11"
HEADER = """\
# Every package {what} needs, pinned with the hashes of its files
# (`pip install --require-hashes -r {lock}` refuses anything else).
# Generated from {source} by flask-harden; after changing a pin there, run
#   uv pip compile --universal --generate-hashes --python-version {python} \\
#       {source} -o {lock}
"""

Combo = tuple[tuple[str, str], ...]


def combos() -> list[Combo]:
    names = list(CHOICES)
    return [tuple(zip(names, values)) for values in itertools.product(*CHOICES.values())]


def generate(binary: str, combo: Combo, parent: Path) -> Path:
    name = "p" + "".join(value[0] for _, value in combo)
    args = [binary, "new", name, "--yes", "--docker", "no", "--ci", "no"]
    for key, value in combo:
        args += [FLAGS[key], value]
    subprocess.run(args, cwd=parent, check=True, stdout=subprocess.DEVNULL)
    return parent / name


def compile_lock(uv: str, project: Path, source: str, constraints: Path | None) -> str:
    args = [uv, "pip", "compile", "--quiet", "--universal", "--generate-hashes"]
    args += ["--no-annotate", "--no-header", "--python-version", PYTHON, source]
    if constraints is not None:
        args += ["--constraint", str(constraints)]
    result = subprocess.run(args, cwd=project, check=True, capture_output=True, text=True)
    return result.stdout


def entries(lock: str) -> dict[str, str]:
    """The lock's entries (a requirement line and its hash lines), by the
    requirement line (name, version and markers)."""
    found: dict[str, str] = {}
    for block in re.split(r"\n(?=\S)", lock.strip()):
        first = block.split(" \\", 1)[0].strip()
        found[first] = block.rstrip() + "\n"
    return found


def condition(present: set[Combo], every: list[Combo]) -> str | None:
    """A tera condition true for exactly the combinations in `present`."""
    if len(present) == len(every):
        return None
    atoms = [f'{key} == "{value}"' for key, values in CHOICES.items() for value in values]

    def holds(expression: list[list[str]], combo: Combo) -> bool:
        values = dict(combo)
        return any(
            all(values[a.split(" == ")[0]] == a.split('"')[1] for a in clause)
            for clause in expression
        )

    # The shortest disjunction of conjunctions (of at most two atoms) that fits.
    clauses = [[a] for a in atoms] + [list(pair) for pair in itertools.combinations(atoms, 2)]
    for size in range(1, 4):
        for expression in itertools.combinations(clauses, size):
            chosen = [list(clause) for clause in expression]
            if all(holds(chosen, combo) == (combo in present) for combo in every):
                return " or ".join(" and ".join(clause) for clause in chosen)
    raise SystemExit(f"no short condition for {sorted(present)}")


def template(locks: dict[Combo, str], every: list[Combo], header: str) -> str:
    presence: dict[str, set[Combo]] = {}
    text: dict[str, str] = {}
    for combo, lock in locks.items():
        for key, block in entries(lock).items():
            presence.setdefault(key, set()).add(combo)
            if text.setdefault(key, block) != block:
                raise SystemExit(f"{key}: different hashes between combinations")
    out = [header]
    for key in sorted(presence, key=str.lower):
        when = condition(presence[key], every)
        if when is None:
            out.append(text[key])
        else:
            out.append(f"{{% if {when} -%}}\n{text[key]}{{% endif -%}}\n")
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uv", default="uv")
    parser.add_argument("--binary", default=str(ROOT / "target" / "debug" / "flask-harden"))
    options = parser.parse_args()
    every = combos()
    with tempfile.TemporaryDirectory() as tmp:
        parent = Path(tmp)
        projects = {combo: generate(options.binary, combo, parent) for combo in every}
        widest = projects[every[-1]]
        union = compile_lock(options.uv, widest, "requirements-dev.txt", None)
        constraints = parent / "constraints.txt"
        constraints.write_text(
            "".join(block.split(" \\", 1)[0] + "\n" for block in entries(union).values())
        )
        for source, lock in LOCKS.items():
            locks = {
                combo: compile_lock(options.uv, project, source, constraints)
                for combo, project in projects.items()
            }
            what = "the app" if source == "requirements.txt" else "the app and its tests"
            header = HEADER.format(what=what, lock=lock, source=source, python=PYTHON)
            (TEMPLATE / f"{lock}.tera").write_text(template(locks, every, header))
            print(f"wrote templates/flask-api/{lock}.tera", file=sys.stderr)


if __name__ == "__main__":
    main()
