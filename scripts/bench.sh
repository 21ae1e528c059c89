#!/usr/bin/env bash
# Benchmark: flask-harden check (and fix --dry-run) against ruff's S rules and
# bandit on the Python files of three real Flask codebases.
#
#   scripts/bench.sh            # 10 timed runs per tool (3 for bandit)
#   RUNS=5 SLOW_RUNS=2 scripts/bench.sh
#
# What it does, all under target/bench/ (cached, reused when present):
#   1. a virtualenv with the pinned peers (ruff 0.17.6, bandit 1.9.4);
#   2. the apache-superset 6.1.0, apache-airflow-core 3.3.2 and
#      flask-appbuilder 5.3.0 wheels, whose .py files are unpacked into one tree
#      (2,014 files, 13.4 MB; every tool reads exactly these files);
#   3. the release build of flask-harden;
#   4. wall time (median of the timed runs, after one warm-up run; hyperfine when
#      installed, else a loop) and peak RSS (median of 3 runs of GNU time, or
#      fewer when fewer timed runs are asked for) of
#      every tool, printed as a Markdown table with the files each tool
#      analysed and its findings;
#   5. check, ruff's S rules and fix --dry-run once more, interleaved (one run
#      of each in turn, RUNS times), and the two ratios issue 13 sets goals for
#      (check / ruff S, fix --dry-run / check) from those medians: on a shared
#      machine the load moves between the table's sequential measurements.
# The machine's load average is printed before and after: numbers taken under
# load are not comparable.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/target/bench"
RUNS=${RUNS:-10}
SLOW_RUNS=${SLOW_RUNS:-3}
PYTHON=${PYTHON:-python3}
WHEELS=("apache-superset==6.1.0" "apache-airflow-core==3.3.2" "flask-appbuilder==5.3.0")
PEERS=("ruff==0.17.6" "bandit==1.9.4")

log() { printf '%s\n' "$*" >&2; }
die() { log "bench: $*"; exit 2; }

[ -x /usr/bin/time ] || die "GNU time is missing (apt-get install time)"
mkdir -p "$BENCH"

# 1. Peers, pinned.
VENV="$BENCH/venv"
STAMP="$VENV/.bench-stamp"
if [ "$(cat "$STAMP" 2>/dev/null)" != "${PEERS[*]}" ]; then
    log "creating $VENV with ${PEERS[*]}"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PEERS[@]}"
    printf '%s' "${PEERS[*]}" > "$STAMP"
fi

# 2. Wheels and the tree of their Python files.
WHEEL_DIR="$BENCH/wheels"
TREE="$BENCH/tree"
mkdir -p "$WHEEL_DIR"
if [ ! -f "$TREE/.complete" ]; then
    log "downloading ${WHEELS[*]}"
    "$VENV/bin/python" -m pip download --quiet --disable-pip-version-check \
        --no-deps --only-binary=:all: --dest "$WHEEL_DIR" "${WHEELS[@]}"
    rm -rf "$TREE" "$TREE.partial"
    mkdir -p "$TREE.partial"
    "$VENV/bin/python" - "$WHEEL_DIR" "$TREE.partial" "${WHEELS[@]}" <<'EOF'
import pathlib, sys, zipfile
wheels, tree, specs = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3:]
for spec in specs:
    name, version = spec.split("==")
    prefix = f"{name.replace('-', '_')}-{version}-"
    [wheel] = [w for w in wheels.glob("*.whl") if w.name.lower().startswith(prefix)]
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if member.endswith(".py"):
                archive.extract(member, tree / name)
EOF
    touch "$TREE.partial/.complete"
    mv "$TREE.partial" "$TREE"
fi
PY_FILES=$(find "$TREE" -name '*.py' | wc -l)
PY_BYTES=$(find "$TREE" -name '*.py' -printf '%s\n' | awk '{s += $1} END {printf "%.1f", s / 1e6}')

# 3. The release binary.
log "building flask-harden (release)"
cargo build --release --locked --quiet --manifest-path "$ROOT/Cargo.toml"
FH="$ROOT/target/release/flask-harden"
HAS_FIX=0
if "$FH" fix --help >/dev/null 2>&1; then HAS_FIX=1; fi

# 4. Measurements.
RUFF="$VENV/bin/ruff"
BANDIT="$VENV/bin/bandit"
OUT="$BENCH/results"
rm -rf "$OUT"
mkdir -p "$OUT"

median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# wall_time NAME RUNS COMMAND...: median seconds of RUNS runs after one warm-up.
wall_time() {
    local name=$1 runs=$2
    shift 2
    if command -v hyperfine >/dev/null; then
        hyperfine --style none --warmup 1 --runs "$runs" --ignore-failure \
            --export-json "$OUT/$name.json" "$(printf '%q ' "$@")" >/dev/null
        "$VENV/bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$OUT/$name.json"
    else
        "$@" >/dev/null 2>&1 || true
        for _ in $(seq "$runs"); do
            local start end
            start=$(date +%s.%N)
            "$@" >/dev/null 2>&1 || true
            end=$(date +%s.%N)
            awk -v s="$start" -v e="$end" 'BEGIN {print e - s}'
        done | median
    fi
}

# peak_rss RUNS COMMAND...: median peak resident set size in MB of RUNS runs.
peak_rss() {
    local runs=$1
    shift
    for _ in $(seq "$runs"); do
        /usr/bin/time -f '%M' -o "$OUT/rss" "$@" >/dev/null 2>&1 || true
        tail -n 1 "$OUT/rss"
    done | median | awk '{printf "%.0f", $1 / 1024}'
}

ROWS=()
declare -A WALL
# measure LABEL FILES FINDINGS RUNS COMMAND...
measure() {
    local label=$1 files=$2 findings=$3 runs=$4
    shift 4
    log "timing: $label"
    local wall rss
    wall=$(wall_time "$(echo "$label" | tr -c 'a-z0-9\n' '_')" "$runs" "$@")
    rss=$(peak_rss "$((runs < 3 ? runs : 3))" "$@")
    WALL[$label]=$wall
    ROWS+=("$(printf '| `%s` | %s | %.3f s | %s MB | %s |' "$label" "$files" "$wall" "$rss" "$findings")")
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
cd "$TREE"

# Files analysed and findings, from each tool's own accounting.
"$FH" check --format json --exit-zero --statistics . >"$OUT/fh.json" 2>"$OUT/fh.err"
FH_FILES=$(sed -n 's/^statistics: .*(\([0-9]*\) Python.*/\1/p' "$OUT/fh.err")
FH_FINDINGS=$("$VENV/bin/python" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$OUT/fh.json")
RUFF_FILES=$("$RUFF" check --select S --no-cache --show-files . | grep -c '\.py$' || true)
RUFF_FINDINGS=$("$RUFF" check --select S --no-cache --exit-zero --output-format json . |
    "$VENV/bin/python" -c 'import json, sys; print(len(json.load(sys.stdin)))')
"$BANDIT" -r . -q -f json -o "$OUT/bandit.json" --exit-zero >/dev/null 2>&1 || true
read -r BANDIT_FILES BANDIT_FINDINGS < <("$VENV/bin/python" -c '
import json, sys
report = json.load(open(sys.argv[1]))
print(sum(1 for k in report["metrics"] if k != "_totals"), len(report["results"]))' "$OUT/bandit.json")

measure "flask-harden check" "$FH_FILES" "$FH_FINDINGS" "$RUNS" "$FH" check --exit-zero .
if [ "$HAS_FIX" = 1 ]; then
    # Exit 1 means remediations are pending: not an error here.
    "$FH" fix --dry-run --format json . >"$OUT/fix.json" 2>/dev/null || true
    FIX_COUNT=$("$VENV/bin/python" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$OUT/fix.json")
    measure "flask-harden fix --dry-run" "$FH_FILES" "$FIX_COUNT remediations" "$RUNS" "$FH" fix --dry-run .
fi
measure "ruff check --select S --no-cache" "$RUFF_FILES" "$RUFF_FINDINGS" "$RUNS" "$RUFF" check --select S --no-cache --exit-zero .
measure "bandit -r" "$BANDIT_FILES" "$BANDIT_FINDINGS" "$SLOW_RUNS" "$BANDIT" -r . -q --exit-zero

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
cat <<EOF

Tree: $PY_FILES Python files, $PY_BYTES MB (${WHEELS[*]})
Machine: $(nproc) cores; load average before $LOAD_BEFORE, after $LOAD_AFTER
Wall time: median of $RUNS runs ($SLOW_RUNS for bandit) after a warm-up; peak RSS: median of up to 3 runs (GNU time).

| tool | files | wall time | peak RSS | findings |
|---|---:|---:|---:|---:|
EOF
printf '%s\n' "${ROWS[@]}"
# interleaved RUNS: check, ruff's S rules and fix --dry-run run one after the
# other RUNS times, so that a change of load moves all three alike; prints the
# median wall time of each (seconds, tab-separated).
interleaved() {
    local runs=$1 t0 t1 t2 t3
    for _ in $(seq "$runs"); do
        t0=$(date +%s.%N)
        "$FH" check --exit-zero . >/dev/null 2>&1 || true
        t1=$(date +%s.%N)
        "$RUFF" check --select S --no-cache --exit-zero . >/dev/null 2>&1 || true
        t2=$(date +%s.%N)
        if [ "$HAS_FIX" = 1 ]; then "$FH" fix --dry-run . >/dev/null 2>&1 || true; fi
        t3=$(date +%s.%N)
        awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN {print b - a, c - b, d - c}'
    done >"$OUT/interleaved.txt"
    local column
    for column in 1 2 3; do
        awk -v c="$column" '{print $c}' "$OUT/interleaved.txt" | median
    done | paste -s
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
read -r I_CHECK I_RUFF I_FIX < <(interleaved "$RUNS")
echo
echo "Interleaved ($RUNS rounds of check, ruff S, fix --dry-run; medians): check $(printf '%.3f' "$I_CHECK") s, ruff S $(printf '%.3f' "$I_RUFF") s, fix --dry-run $(printf '%.3f' "$I_FIX") s"
echo "check / ruff S: $(ratio "$I_CHECK" "$I_RUFF") interleaved ($(ratio "${WALL[flask-harden check]}" "${WALL[ruff check --select S --no-cache]}") from the table)"
if [ "$HAS_FIX" = 1 ]; then
    echo "fix --dry-run / check: $(ratio "$I_FIX" "$I_CHECK") interleaved ($(ratio "${WALL[flask-harden fix --dry-run]}" "${WALL[flask-harden check]}") from the table)"
fi
