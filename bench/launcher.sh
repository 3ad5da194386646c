#!/usr/bin/env bash
# Start cost of packlab's launcher (src/main/lifecycle/launcher.c): how much later a process starts
# when /cnb/process/<type> starts it instead of the bare command.
#
#   bash bench/launcher.sh            # RUNS=15 container starts, LOOPS=1000 starts inside one
#
# Two figures, medians of several rounds:
#   - inside one container: LOOPS starts of /bin/true, bare and through the launcher (which reads
#     metadata.toml, applies the env files of two buildpacks' layers and execs /bin/true);
#   - whole containers: RUNS of `docker run --rm IMAGE` with the launcher as entrypoint, and of
#     `docker run --rm --entrypoint /bin/true IMAGE`.
#
# Needs a Docker engine and packlab-base/debian:bookworm-slim (scripts/make-bases.sh). The launcher
# is compiled with the same Dockerfile packlab uses (the engine's build cache makes that instant
# once packlab has built packlab/lifecycle). What it makes carries io.packlab.lesson=bench and is
# removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-15}
LOOPS=${LOOPS:-1000}
BASE=packlab-base/debian:bookworm-slim
LAUNCHER_IMAGE=packlab-bench/lifecycle:local
IMAGE=packlab-bench/launcher-start:local
work=$(mktemp -d "${TMPDIR:-/tmp}/packlab-bench-launcher.XXXXXX")
cleanup() {
  docker rmi "$IMAGE" "$LAUNCHER_IMAGE" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

docker image inspect "$BASE" >/dev/null 2>&1 || { echo "launcher.sh: $BASE is missing (sudo scripts/make-bases.sh)" >&2; exit 2; }
DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE_IMAGE=$BASE" --label io.packlab.lesson=bench \
  -t "$LAUNCHER_IMAGE" src/main/lifecycle >/dev/null 2>"$work/build.err" || { cat "$work/build.err" >&2; exit 1; }

# an app image as the exporter lays it out: two buildpacks, launch layers with env files and bin/
mkdir -p "$work/ctx/layers/config" "$work/ctx/process"
cat > "$work/ctx/layers/config/metadata.toml" <<'TOML'
buildpack-default-process-type = "noop"

[[buildpacks]]
id = "bench/runtime"
version = "1.0.0"
api = "0.10"

[[buildpacks]]
id = "bench/app"
version = "1.0.0"
api = "0.9"

[[processes]]
type = "noop"
command = ["/bin/true"]
args = []
direct = true
default = true
buildpack-id = "bench/app"
TOML
for layer in runtime/deps runtime/tools app/config; do
  d="$work/ctx/layers/bench_${layer%%/*}/${layer#*/}"
  mkdir -p "$d/bin" "$d/env.launch" "$d/env"
  printf '%s' "/layers/bench_${layer%%/*}/${layer#*/}/lib" > "$d/env.launch/EXTRA_PATH.prepend"
  printf ':' > "$d/env.launch/EXTRA_PATH.delim"
  printf '1' > "$d/env/UNBUFFERED.default"
  printf 'on' > "$d/env.launch/FEATURE.override"
done
ln -s /cnb/lifecycle/launcher "$work/ctx/process/noop"
cat > "$work/ctx/Dockerfile" <<DOCKERFILE
FROM $BASE
COPY --from=$LAUNCHER_IMAGE /cnb/lifecycle/launcher /cnb/lifecycle/launcher
COPY layers /layers
COPY process /cnb/process
ENV PATH=/cnb/process:/cnb/lifecycle:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    CNB_LAYERS_DIR=/layers CNB_APP_DIR=/workspace CNB_PLATFORM_API=0.12
WORKDIR /workspace
ENTRYPOINT ["/cnb/process/noop"]
LABEL io.packlab.lesson=bench
DOCKERFILE
DOCKER_BUILDKIT=0 docker build -q -t "$IMAGE" "$work/ctx" >/dev/null 2>"$work/build.err" || { cat "$work/build.err" >&2; exit 1; }

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now_ms() { date +%s%N | cut -c1-13; }

echo "packlab launcher start cost ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo docker))"
echo "launcher binary: $(docker run --rm --entrypoint /bin/sh "$IMAGE" -c 'stat -c %s /cnb/lifecycle/launcher') bytes"

# inside one container: bash loops, five rounds, median of the per-start difference
inside=$(docker run --rm --entrypoint /bin/bash "$IMAGE" -c '
  n='"$LOOPS"'
  for round in 1 2 3 4 5; do
    s=$(date +%s%N); for ((i = 0; i < n; i++)); do /bin/true; done; b=$(date +%s%N)
    for ((i = 0; i < n; i++)); do /cnb/process/noop; done; l=$(date +%s%N)
    echo "$(( (b - s) / n / 1000 )) $(( (l - b) / n / 1000 ))"
  done')
bare_us=$(echo "$inside" | awk '{ print $1 }' | median)
launched_us=$(echo "$inside" | awk '{ print $2 }' | median)
printf '%-46s %8s us\n' "start of /bin/true, bare (in a container)" "$bare_us"
printf '%-46s %8s us\n' "start of /bin/true through the launcher" "$launched_us"
printf '%-46s %8s us\n' "the launcher's own cost per start" "$(awk -v a="$launched_us" -v b="$bare_us" 'BEGIN { print a - b }')"

# whole containers
: > "$work/bare"; : > "$work/launched"
for ((i = 0; i < RUNS; i++)); do
  t=$(now_ms); docker run --rm --entrypoint /bin/true "$IMAGE" >/dev/null; echo $(( $(now_ms) - t )) >> "$work/bare"
  t=$(now_ms); docker run --rm "$IMAGE" >/dev/null; echo $(( $(now_ms) - t )) >> "$work/launched"
done
bare_ms=$(median < "$work/bare")
launched_ms=$(median < "$work/launched")
printf '%-46s %8s ms\n' "docker run --rm, bare /bin/true (median of $RUNS)" "$bare_ms"
printf '%-46s %8s ms\n' "docker run --rm, /cnb/process/noop (median)" "$launched_ms"
