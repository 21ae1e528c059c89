#!/usr/bin/env python3
"""Real-app harness: does `flask-harden fix --yes` keep public Flask apps
installable, startable and green?

For every app of scripts/realapps.toml (a public repository at a pinned
commit, brought onto the machine with the search tool's `fetch`, so not run in
CI) it runs two phases on fresh copies:

  before  the app as published
  after   the app after `flask-harden fix --yes`

and in each phase:

  1. install  into a fresh virtualenv, with the commands the app's own CI,
              tox or Dockerfile run (listed per app in the manifest);
  2. prepare  the app's own set-up commands (database creation), if any;
  3. start    the app under gunicorn in production mode, with the app's
              production variables and, after the fix, only the variables the
              fix summary lists as required (SECRET_KEY-like ones), then
              requests its pages as a browser behind a TLS proxy would
              (X-Forwarded-Proto: https) and records the status codes;
  4. test     the app's own test suite, with no new variables at all.

Usage:
  python3 scripts/realapps.py [--only NAME ...] [--mirrors /work/.mirror]
      [--binary target/release/flask-harden] [--work target/realapps]

Writes target/realapps/results.json and prints a Markdown table (the one in
README.md).  Needs: python3 -m venv, network access to the Python package
registry (pip's cache lives under the work folder), libpq headers for apps
that build psycopg2.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIRED_VARIABLE = re.compile(r"SECRET|KEY|TOKEN|PASSWORD|SALT", re.I)


def run(cmd, cwd, env, log, timeout):
    """Runs a shell command, appends its output to log, returns (rc, output)."""
    with open(log, "a") as out:
        out.write(f"\n$ {cmd}\n")
        out.flush()
        try:
            proc = subprocess.run(
                cmd, shell=True, cwd=cwd, env=env, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, timeout=timeout, text=True,
                errors="replace",
            )
        except subprocess.TimeoutExpired as exc:
            text = (exc.stdout or b"").decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
            out.write(text + f"\n[timed out after {timeout} s]\n")
            return 124, text
        out.write(proc.stdout)
        out.write(f"[exit {proc.returncode}]\n")
        return proc.returncode, proc.stdout


def export(mirrors: Path, app: dict, dest: Path):
    """Copies the app's files at the pinned commit into dest (no .git)."""
    git_dir = mirrors / app["repo"].replace("/", "+") / "repo"
    if not git_dir.exists():
        raise SystemExit(f"{app['name']}: {git_dir} is missing: fetch github:{app['repo']} first")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    tree = app["commit"] + (":" + app["subdir"] if app.get("subdir") else "")
    archive = subprocess.run(
        ["git", "--git-dir", str(git_dir), "archive", "--format=tar", tree],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False,
    )
    # Large binary files (screenshots) may be absent from a snapshot: the tar
    # stream still holds every file before them, so extract what arrived and
    # check that the app's Python files are there.
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout,
                   stderr=subprocess.DEVNULL, check=False)
    if not any(dest.rglob("*.py")):
        raise SystemExit(f"{app['name']}: no Python files at {tree}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str):
    request = urllib.request.Request(url, headers={
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "203.0.113.7",
        "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) realapps-harness",
        "Accept": "text/html,application/json;q=0.9,*/*;q=0.8",
    })

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=15) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except Exception as exc:  # connection refused, reset, timeout
        return f"error: {type(exc).__name__}"


def start(app: dict, cwd: Path, env: dict, log: Path):
    """Starts gunicorn, requests the pages, stops it. Returns (ok, statuses)."""
    port = free_port()
    bind = f"127.0.0.1:{port}"
    cmd = [str(cwd.parent / "venv" / "bin" / "gunicorn"), "-b", bind, "-w", "1",
           "--error-logfile", "-", app["wsgi"]]
    with open(log, "a") as out:
        out.write(f"\n$ {' '.join(cmd)}\n")
        out.flush()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            if proc.poll() is not None:
                return False, {"start": f"exited {proc.returncode}"}
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            return False, {"start": "no answer in 30 s"}
        statuses = {path: fetch(f"http://{bind}{path}") for path in app.get("paths", ["/"])}
        alive = proc.poll() is None
        ok = alive and all(isinstance(s, int) and s < 500 for s in statuses.values())
        return ok, statuses
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def test_counts(output: str) -> str:
    """'N passed' / 'N failed' from pytest or unittest output."""
    pytest_line = None
    for line in output.splitlines():
        if re.search(r"\d+ (passed|failed|errors?)\b", line) and ("==" in line or " in " in line):
            pytest_line = line
    if pytest_line:
        found = dict((word, int(n)) for n, word in re.findall(r"(\d+) (passed|failed|errors?|skipped)", pytest_line))
        failed = found.get("failed", 0) + found.get("error", 0) + found.get("errors", 0)
        return f"{found.get('passed', 0)} passed, {failed} failed"
    ran = re.findall(r"Ran (\d+) tests?", output)
    if ran:
        total = int(ran[-1])
        bad = re.search(r"FAILED \(([^)]*)\)", output)
        failed = sum(int(n) for n in re.findall(r"(?:failures|errors)=(\d+)", bad.group(1))) if bad else 0
        return f"{total - failed} passed, {failed} failed"
    return "no test summary"


def phase(app: dict, name: str, work: Path, args) -> dict:
    base = work / app["name"] / name
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    src = base / "src"
    log = base / "log.txt"
    export(Path(args.mirrors), app, src)
    result: dict = {"phase": name}

    required: dict = {}
    if name == "after":
        rc, out = run(f"{args.binary} fix --yes .", src, dict(os.environ), log, 600)
        result["fix_exit"] = rc
        result["fixed"] = len(re.findall(r"^fixed ", out, re.M))
        listed = []
        block = re.search(r"Environment variables the fixed code reads[^\n]*\n((?:  \S+\n)+)", out)
        if block:
            listed = block.group(1).split()
        result["variables_listed"] = listed
        required = {v: secrets.token_urlsafe(32) for v in listed if REQUIRED_VARIABLE.search(v)}
        result["variables_set"] = sorted(required)
        # Files the fix changed must still compile.
        rc_c, _ = run(f"{sys.executable} -m compileall -q .", src, dict(os.environ), log, 300)
        result["compiles"] = rc_c == 0

    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = dict(os.environ)
    env.pop("VIRTUAL_ENV", None)
    env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"
    env["PIP_CACHE_DIR"] = str(work / "pip-cache")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    for key in ("SECRET_KEY", "FLASK_DEBUG", "FLASK_ENV", "TRUSTED_PROXIES"):
        env.pop(key, None)

    ok = True
    for cmd in app["install"]:
        rc, _ = run(cmd, src, env, log, 1200)
        if rc != 0:
            ok = False
            break
    result["install"] = ok
    if not ok:
        return result
    if not (venv / "bin" / "gunicorn").exists():
        # The harness's server, not the app's: only when the app names none.
        run("pip install -q gunicorn", src, env, log, 600)

    production = dict(env, **app.get("env", {}), **required)
    if name == "after":
        # Behind the harness's (emulated) TLS proxy: one proxy in front.
        production["TRUSTED_PROXIES"] = "1"
    for cmd in app.get("prepare", []):
        run(cmd, src, production, log, 600)
    started, statuses = start(app, src, production, log)
    result["start"] = started
    result["pages"] = statuses

    test_env = dict(env, **app.get("test_env", {}))
    rc, out = run(app["test"], src, test_env, log, 3600)
    result["tests_exit"] = rc
    result["tests"] = test_counts(out)
    if rc != 0 and "failed" in result["tests"] and not result["tests"].startswith("0 passed"):
        # Some suites are randomised (albumy's forge draws random words that
        # may collide): a second run tells a flaky test from a broken app.
        rc2, out2 = run(app["test"], src, test_env, log, 3600)
        result["tests_first_run"] = result["tests"]
        result["tests_exit"] = rc2
        result["tests"] = test_counts(out2) + " (second run; first: " + result["tests_first_run"] + ")"

    return result


def table(results: dict, apps: list) -> str:
    lines = [
        "| app (commit) | fixes applied | install before → after | starts, pages before → after | own tests before → after | variables set after |",
        "|---|---|---|---|---|---|",
    ]
    for app in apps:
        res = results.get(app["name"])
        if not res:
            continue
        b, a = res.get("before", {}), res.get("after", {})

        def pages(r):
            if "pages" not in r:
                return "—"
            return ("yes " if r.get("start") else "no ") + " ".join(str(s) for s in r["pages"].values())

        def tests(r):
            if "tests" not in r:
                return "—"
            return r["tests"] + ("" if r.get("tests_exit") == 0 else f" (exit {r.get('tests_exit')})")

        ident = f"{app['repo']}{'/' + app['subdir'] if app.get('subdir') else ''} ({app['commit'][:7]})"
        lines.append(
            f"| {ident} | {a.get('fixed', '—')} | {'ok' if b.get('install') else 'FAIL'} → {'ok' if a.get('install') else 'FAIL'} "
            f"| {pages(b)} → {pages(a)} | {tests(b)} → {tests(a)} | {', '.join(a.get('variables_set', [])) or 'none'} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--phase", choices=["before", "after", "both"], default="both")
    parser.add_argument("--mirrors", default="/work/.mirror")
    parser.add_argument("--binary", default=str(ROOT / "target" / "release" / "flask-harden"))
    parser.add_argument("--work", default=str(ROOT / "target" / "realapps"))
    parser.add_argument("--manifest", default=str(ROOT / "scripts" / "realapps.toml"))
    parser.add_argument("--table", action="store_true", help="print the table of the recorded results and stop")
    args = parser.parse_args()
    args.binary = str(Path(args.binary).resolve())

    apps = tomllib.loads(Path(args.manifest).read_text())["app"]
    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    results_file = work / "results.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    phases = ["before", "after"] if args.phase == "both" else [args.phase]
    if args.table:
        print(table(results, apps))
        return
    for app in apps:
        if args.only and app["name"] not in args.only:
            continue
        for name in phases:
            started = time.time()
            res = phase(app, name, work, args)
            res["seconds"] = round(time.time() - started)
            # Re-read before writing: another run may have recorded other apps.
            results = json.loads(results_file.read_text()) if results_file.exists() else {}
            results.setdefault(app["name"], {})[name] = res
            tmp = results_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(results, indent=2))
            tmp.replace(results_file)
            print(f"{app['name']} {name}: {json.dumps(res)}", flush=True)
    print(table(results, apps))


if __name__ == "__main__":
    main()
