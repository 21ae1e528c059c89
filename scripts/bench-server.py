#!/usr/bin/env python3
"""Benchmark (not a test): how long `flask-harden server` takes to re-diagnose
one changed file of the benchmark tree (scripts/bench.sh builds it under
target/bench/tree).

It starts the server on the tree, waits for the start-up analysis, opens one
file, then RUNS times sends a change that adds a finding (or removes it again)
and measures the time until the file's diagnostics are published. Prints the
start-up time and the median / min / max of the re-diagnosis times.

    scripts/bench.sh                     # once, to build the tree
    python3 scripts/bench-server.py [BINARY] [RUNS]
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import time
import queue
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREE = ROOT / "target" / "bench" / "tree"
BINARY = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target" / "release" / "flask-harden")
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 30


def main():
    if not (TREE / ".complete").exists():
        sys.exit(f"no benchmark tree at {TREE}: run scripts/bench.sh first")
    # A Flask view module of superset: large, and its re-analysis re-runs the
    # project-level rules over the whole tree.
    candidates = sorted(TREE.rglob("views/core.py")) or sorted(TREE.rglob("*.py"))
    target = candidates[0]
    text = target.read_text(encoding="utf-8")
    uri = target.resolve().as_uri()

    server = subprocess.Popen(
        [BINARY, "server"],
        cwd=TREE,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    inbox = queue.Queue()

    def reader():
        out = server.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.startswith(b"Content-Length:"):
                    length = int(line.split(b":")[1])
            inbox.put(json.loads(out.read(length)))

    threading.Thread(target=reader, daemon=True).start()

    def send(message):
        body = json.dumps(message).encode()
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        server.stdin.flush()

    def wait_for(predicate, timeout=120):
        deadline = time.monotonic() + timeout
        while True:
            message = inbox.get(timeout=max(0.0, deadline - time.monotonic()))
            if predicate(message):
                return message

    started = time.monotonic()
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"processId": os.getpid(), "rootUri": TREE.resolve().as_uri(), "capabilities": {}}})
    wait_for(lambda m: m.get("id") == 1)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    # The start-up analysis ends before the server reads the next message:
    # a round trip after it measures it.
    send({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
          "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}})
    wait_for(lambda m: m.get("id") == 2)
    startup = time.monotonic() - started

    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}})
    send({"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover",
          "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}})
    wait_for(lambda m: m.get("id") == 3)

    finding = "\n\nimport pickle\n\n\ndef _bench(data):\n    return pickle.loads(data)\n"
    times = []
    for run in range(RUNS):
        changed = text + finding if run % 2 == 0 else text
        began = time.monotonic()
        send({"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": uri, "version": run + 2},
                         "contentChanges": [{"text": changed}]}})
        wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                 and m["params"]["uri"] == uri)
        times.append((time.monotonic() - began) * 1000)

    send({"jsonrpc": "2.0", "id": 4, "method": "shutdown", "params": None})
    wait_for(lambda m: m.get("id") == 4)
    send({"jsonrpc": "2.0", "method": "exit", "params": None})
    server.wait(timeout=20)

    files = sum(1 for _ in TREE.rglob("*.py"))
    print(f"tree: {files} .py files; file changed: {target.relative_to(TREE)} ({len(text.encode())} bytes)")
    print(f"start-up analysis: {startup * 1000:.0f} ms")
    print(f"re-diagnosis of one changed file ({RUNS} runs): median {statistics.median(times):.1f} ms, "
          f"min {min(times):.1f} ms, max {max(times):.1f} ms")
    print(f"load average: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
