#!/usr/bin/env bash
# What learners wait for, outside the builds: start-up of `list` and `check` (to the first output,
# and to the end), the cost of each lesson's checks, and `run --all` end to end. Prints a table of
# medians.
#
#   bash bench/startup.sh            # 7 runs per figure
#   RUNS=11 bash bench/startup.sh
#
# Needs a Docker engine and the bases (scripts/make-bases.sh); works in a temporary work folder and
# removes what it made (reset) at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-7}"
work=$(mktemp -d "${TMPDIR:-/tmp}/packlab-startup.XXXXXX")
trap './packlab --workdir "$work" reset --yes >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
export PACKLAB_BASES="${PACKLAB_BASES:-local}"

./packlab --version >/dev/null   # build the jar and its class data archive first

median() {   # median NAME command... : runs it $runs times, prints NAME and the median wall time
  local name="$1"; shift
  local times=()
  for _ in $(seq 1 "$runs"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc)")
  done
  printf '%-34s %8.3f s\n' "$name" "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
}

first() {   # first NAME command... : median time from start to the first byte of output (stdout+stderr)
  local name="$1"; shift
  local times=()
  for _ in $(seq 1 "$runs"); do
    local t0 ms
    t0=$(date +%s%N)
    ms=$("$@" 2>&1 | { IFS= read -r -n1 _ || true; t1=$(date +%s%N); cat >/dev/null; echo $(( (t1 - t0) / 1000000 )); })
    times+=("$(echo "scale=3; $ms / 1000" | bc)")
  done
  printf '%-34s %8.3f s\n' "$name" "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
}

echo "run --all (built-in platform), once:"
t0=$(date +%s.%N)
./packlab --workdir "$work" --engine builtin run --all > "$work/run-all.log" 2>&1 || { tail -20 "$work/run-all.log"; exit 1; }
t1=$(date +%s.%N)
printf '%-34s %8.1f s\n\n' "run --all" "$(echo "$t1 - $t0" | bc)"

printf '%-34s %10s   (median of %d)\n' "what" "wall" "$runs"
first "list: first output" ./packlab --workdir "$work" list
first "check stack: first output" ./packlab --workdir "$work" check stack
median "list" ./packlab --workdir "$work" list
median "show build" ./packlab --workdir "$work" show build
median "status --json" ./packlab --workdir "$work" status --json
for lesson in stack buildpack package builder build add-buildpack rebase; do
  median "check $lesson" ./packlab --workdir "$work" check "$lesson"
done
echo
echo "the http check alone (starts a container, waits for the app, removes it):"
mkdir -p "$work/http"
printf -- '---\nid: http\n---\n```check\nhttp webapp port 8080 status 200\n```\n' > "$work/http/01-http.md"
median "check: http webapp" ./packlab --workdir "$work" --lessons "$work/http" check http
printf -- '---\nid: label\n---\n```check\nimage webapp label io.buildpacks.build.metadata exists\n```\n' > "$work/http/01-http.md"
median "check: one label (same start-up)" ./packlab --workdir "$work" --lessons "$work/http" check label
