#!/usr/bin/env python3
"""Regenerates src/deps/fixed_requirements.toml: the install requirements
(Requires-Dist) of every `fixed` version of src/deps/advisories.toml.

Each release is downloaded with `pip download PKG==VERSION --no-deps` into
target/meta/ (cached), and its requirements are read from the wheel's
`*.dist-info/METADATA` or, for a source-only release, from the sdist's
`*.egg-info/requires.txt` (its `[extra]` sections become `extra == "..."`
markers). Markers are kept as published; flask-harden decides how to read them.

Usage: python3 scripts/fixed-requirements.py [--date YYYY-MM-DD]
"""

import argparse
import datetime
import email
import pathlib
import subprocess
import sys
import tarfile
import tomllib
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADVISORIES = ROOT / "src" / "deps" / "advisories.toml"
OUTPUT = ROOT / "src" / "deps" / "fixed_requirements.toml"
CACHE = ROOT / "target" / "meta"


def normalize(name):
    out, sep = [], False
    for ch in name:
        if ch in "-_.":
            sep = True
            continue
        if sep and out:
            out.append("-")
        sep = False
        out.append(ch.lower())
    return "".join(out)


def find_archive(package, version):
    for path in sorted(CACHE.iterdir()):
        stem = path.name.lower()
        for suffix in (".tar.gz", ".zip", ".whl"):
            if stem.endswith(suffix):
                stem = stem[: -len(suffix)]
        name, _, rest = stem.partition("-" + version.lower())
        if normalize(name) == package and (rest == "" or rest.startswith("-")):
            return path
    return None


def wheel_requirements(path):
    with zipfile.ZipFile(path) as wheel:
        metadata = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        message = email.message_from_bytes(wheel.read(metadata))
    return [" ".join(r.split()) for r in message.get_all("Requires-Dist") or []], metadata


def sdist_requirements(path):
    with tarfile.open(path) as sdist:
        names = sdist.getnames()
        member = next((n for n in names if n.endswith(".egg-info/requires.txt")), None)
        if member is None:
            # A source release without requires.txt (PyYAML 5.x) declares
            # no requirements: say which file showed it.
            pkg_info = next(n for n in names if n.count("/") == 1 and n.endswith("/PKG-INFO"))
            message = email.message_from_bytes(sdist.extractfile(pkg_info).read())
            requires = [" ".join(r.split()) for r in message.get_all("Requires-Dist") or []]
            return requires, pkg_info
        text = sdist.extractfile(member).read().decode()
    requirements, extra = [], None
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            extra = line[1:-1]
            continue
        requirements.append(f'{line} ; extra == "{extra}"' if extra else line)
    return requirements, member


def toml_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", default=datetime.date.today().isoformat())
    args = parser.parse_args()
    advisories = tomllib.loads(ADVISORIES.read_text())["advisory"]
    releases = sorted(
        {(normalize(a["package"]), v) for a in advisories for v in a["fixed"]},
        key=lambda r: (r[0], [int(p) for p in r[1].split(".")]),
    )
    CACHE.mkdir(parents=True, exist_ok=True)
    out = [
        "# flask-harden: install requirements of every version FH601 can raise to.",
        "#",
        "# One [[release]] per `fixed` version of advisories.toml (a unit test checks",
        "# the coverage). `requires` is the release's Requires-Dist, as published:",
        "# PEP 508 strings with their markers (`extra == \"...\"` entries apply only",
        "# when the requirement asks for that extra). `source` names the file it was",
        "# read from: the wheel's .dist-info/METADATA, or the egg-info/requires.txt",
        "# of the sdist when the release has no wheel. Downloaded from the package",
        "# index with `pip download NAME==VERSION --no-deps` by",
        "# scripts/fixed-requirements.py on `date`; regenerate with that script after",
        "# changing advisories.toml.",
        "",
        f"date = {toml_string(args.date)}",
    ]
    for package, version in releases:
        archive = find_archive(package, version)
        if archive is None:
            download = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "-d", str(CACHE), f"{package}=={version}"]
            if subprocess.run(download).returncode != 0:
                # An old sdist that no longer builds here (PyYAML 5.4): take a
                # wheel published for an older CPython; its metadata is the same.
                subprocess.run(
                    download + ["--only-binary", ":all:", "--python-version", "3.9",
                                "--platform", "manylinux1_x86_64", "--implementation", "cp"],
                    check=True,
                )
            archive = find_archive(package, version)
        if archive.name.endswith(".whl"):
            requires, member = wheel_requirements(archive)
        else:
            requires, member = sdist_requirements(archive)
        out += [
            "",
            "[[release]]",
            f"package = {toml_string(package)}",
            f"version = {toml_string(version)}",
            f"source = {toml_string(archive.name + ' ' + member.split('/', 1)[-1])}",
        ]
        if requires:
            out.append("requires = [")
            out += [f"    {toml_string(r)}," for r in requires]
            out.append("]")
        else:
            out.append("requires = []")
    OUTPUT.write_text("\n".join(out) + "\n")
    print(f"wrote {len(releases)} releases to {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
