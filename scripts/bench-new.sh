#!/usr/bin/env bash
# Benchmark (not a test): wall time of `flask-harden new NAME --yes` for the
# default project with the release binary. Uses hyperfine when installed
# (apt-get install hyperfine), else a timed loop.
#
#   scripts/bench-new.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-50}"
cargo build --release --locked --quiet
bin="$PWD/target/release/flask-harden"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
if command -v hyperfine >/dev/null; then
    # The project folder is removed before every run (not timed).
    hyperfine --warmup 5 --runs "$runs" --shell=none --output=null \
        --prepare "rm -rf bench" "$bin new bench --yes"
else
    total=0
    for _ in $(seq "$runs"); do
        rm -rf bench
        start=$(date +%s%N)
        "$bin" new bench --yes >/dev/null
        end=$(date +%s%N)
        total=$((total + end - start))
    done
    echo "flask-harden new bench --yes: mean $((total / runs / 1000)) µs over $runs runs"
fi
