"""Drives `flask-harden new` in a real pseudo-terminal, answering each prompt
as a user would (typing text, arrow keys, Enter). Used by interactive.rs.

usage: pty_driver.py BINARY WORKDIR
Prints the transcript (ANSI codes removed) and exits with the program's status.
"""

import os
import pty
import re
import select
import sys
import time

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")
binary, workdir = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.chdir(workdir)
    os.environ["TERM"] = "xterm"
    os.execv(binary, [binary, "new"])

transcript = b""
seen = 0


def expect(text, timeout=20.0):
    """Reads until `text` appears after everything matched so far."""
    global transcript, seen
    deadline = time.monotonic() + timeout
    while True:
        clean = ANSI.sub(b"", transcript)
        found = clean.find(text.encode(), seen)
        if found >= 0:
            seen = found + len(text)
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            sys.stdout.write(ANSI.sub(b"", transcript).decode(errors="replace"))
            sys.exit(f"timed out waiting for {text!r}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                sys.stdout.write(ANSI.sub(b"", transcript).decode(errors="replace"))
                sys.exit(f"program ended while waiting for {text!r}")
            transcript += chunk


def send(keys):
    time.sleep(0.1)
    os.write(fd, keys.encode())


DOWN = "\x1b[B"
expect("Project name")
expect("myapi")  # the default is shown
send("Shop API\r")  # invalid: refused with the reason, asked again
expect("invalid project name")
send("\x7f" * 8 + "shop-api\r")
expect("Description")
send("\r")  # keep the default
expect("Authentication")
send(DOWN + "\r")  # none -> jwt
expect("Database")
send("\r")  # keep none
expect("Rate-limit storage")
send(DOWN + "\r")  # memory -> redis
expect("Allowed CORS origins")
send("\x7f" * 40 + "https://shop.example.com\r")
expect("Add a Dockerfile?")
send("n")
expect("Add a CI workflow?")
send("\r")  # keep yes
expect("Created shop-api/")
_, status = os.waitpid(pid, 0)
try:
    while True:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        transcript += chunk
except OSError:
    pass
sys.stdout.write(ANSI.sub(b"", transcript).decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
