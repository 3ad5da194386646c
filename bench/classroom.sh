#!/usr/bin/env bash
# The classroom server under a room's load: LEARNERS (100) simulated learners push a change every
# PERIOD_MS (2000) for SECONDS (60) to a real `classroom serve`; prints the delay from a push to the
# page's update (median, 95th percentile, worst, read from the page's event stream), and the server's
# CPU time and peak memory (VmHWM); SERVER_JAVA_OPTS (e.g. -Xmx64m) go to the server. Usage: bash bench/classroom.sh [SECONDS [LEARNERS [PERIOD_MS]]]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
./mvnw -B -q test-compile
out=$(mktemp "${TMPDIR:-/tmp}/packlab-classroom-bench.XXXXXX")
java ${SERVER_JAVA_OPTS:-} -jar target/packlab.jar classroom serve --port 0 >"$out" 2>&1 &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 1 100); do grep -q 'Stop with Ctrl-C.' "$out" && break; sleep 0.1; done
join=$(sed -n 's/^learners join with: --classroom //p' "$out")
page=$(sed -n 's/^the room.s page (for you, the instructor): //p' "$out")
[ -n "$join" ] && [ -n "$page" ] || { cat "$out" >&2; exit 1; }
echo "server pid $server, java $(java -version 2>&1 | head -n1)"
java -cp target/test-classes:target/packlab.jar io.packlab.classroom.server.ClassroomBench \
  "$join" "$page" "$server" "${1:-60}" "${2:-100}" "${3:-2000}"
