#!/usr/bin/env bash
# Benchmark of the built-in platform on a real Docker engine: wall time and peak RSS of the packlab
# process for a first build, an unchanged rebuild, a rebuild after an app change, a rebase, and a
# build and rebase of an app with a big (default 1 GiB) launch layer. When docker-registry is
# installed, the same two rebases are also done in a local registry (pack rebase --publish, on a
# free loopback port), to show that they do not grow with the app layers' size.
#
#   bash bench/platform.sh            # BIG_LAYER_MB=1024 by default
#   BIG_LAYER_MB=256 bash bench/platform.sh
#
# Needs a Docker engine and the stack bases (scripts/make-bases.sh). Everything it makes carries
# io.packlab.lesson=bench and is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
export BIG_LAYER_MB="${BIG_LAYER_MB:-1024}"
work=$(mktemp -d "${TMPDIR:-/tmp}/packlab-bench.XXXXXX")
results="$work/results"
: > "$results"

registry_pid=""
cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true
  docker ps -aq --filter label=io.packlab.lesson=bench | xargs -r docker rm -f >/dev/null 2>&1 || true
  # an image that is the parent of another cannot be removed before it: a few passes take them all
  for _ in 1 2 3; do
    docker images -q --filter label=io.packlab.lesson=bench | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true
  done
  docker volume ls -q --filter label=io.packlab.lesson=bench | xargs -r docker volume rm >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

./packlab --version >/dev/null   # builds the jar if needed, outside the measurements

# packlab as a pack stand-in; the "bench" lesson label comes from a one-lesson lesson folder
mkdir -p "$work/lessons"
printf -- '---\nid: bench\n---\n```check\nimage bench-app exists\n```\n' > "$work/lessons/01-bench.md"
cat > "$work/pl" <<SH
#!/usr/bin/env bash
exec "$here/packlab" --workdir "$work" --lessons "$work/lessons" --engine builtin --no-color "\$@"
SH
chmod +x "$work/pl"
pl() { "$work/pl" "$@"; }

measure() {   # measure NAME command...
  local name="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/last.log" 2>&1 || { cat "$work/last.log"; exit 1; }
  read -r secs kb < "$work/time"
  printf '%s\t%s\t%s\n' "$name" "$secs" "$kb" >> "$results"
}

# a local registry for the registry-path rebases, if docker-registry is installed
reg=""
if command -v docker-registry >/dev/null 2>&1; then
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  reg="127.0.0.1:$port"
  printf 'version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: %s\n' \
    "$work/registry" "$reg" > "$work/registry.yml"
  docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
  registry_pid=$!
  for _ in $(seq 100); do curl -fsS "http://$reg/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fsS "http://$reg/v2/" >/dev/null || { echo "docker-registry did not start:"; cat "$work/registry.log"; exit 1; }
else
  echo "docker-registry is not installed: the registry-path rebases (--publish) are left out"
fi
push() {   # push IMAGE REGISTRY-NAME: tags and pushes, outside the measurements
  docker tag "$1" "$reg/$2" && docker push -q "$reg/$2" > /dev/null
}

echo "preparing the stack and the builder..."
base_args=()
docker image inspect packlab-base/debian:bookworm-slim >/dev/null 2>&1 && \
  base_args=(--build-arg BASE_IMAGE=packlab-base/debian:bookworm-slim)
pl docker build -t bench-stack:build "${base_args[@]}" "$here/stacks/distroless-python/build" > /dev/null
run_args=()
docker image inspect packlab-base/distroless-python3:debian12 >/dev/null 2>&1 && \
  run_args=(--build-arg BASE_IMAGE=packlab-base/distroless-python3:debian12)
pl docker build -t bench-stack:run "${run_args[@]}" "$here/stacks/distroless-python/run" > /dev/null
cat > "$work/builder.toml" <<TOML
[[buildpacks]]
uri = "$here/buildpacks/python"
[[buildpacks]]
uri = "$here/bench/buildpacks/big"
[[order]]
  [[order.group]]
  id = "example/python"
[stack]
id = "com.example.stacks.distroless-python"
build-image = "bench-stack:build"
run-image = "bench-stack:run"
TOML
measure "builder create" "$work/pl" pack builder create bench-builder --config "$work/builder.toml"

cp -r "$here/sample-app" "$work/app"
measure "build (first)" "$work/pl" pack build bench-app --builder bench-builder --path "$work/app"
measure "build (unchanged)" "$work/pl" pack build bench-app --builder bench-builder --path "$work/app"
echo "# changed" >> "$work/app/app.py"
measure "build (app changed)" "$work/pl" pack build bench-app --builder bench-builder --path "$work/app"

mkdir -p "$work/run2"
echo patched > "$work/run2/patch.txt"
printf 'FROM bench-stack:run\nCOPY patch.txt /etc/packlab-patch.txt\n' > "$work/run2/Dockerfile"
[ -n "$reg" ] && push bench-app bench/app:latest
pl docker build -t bench-stack:run "$work/run2" > /dev/null
measure "rebase" "$work/pl" pack rebase bench-app
if [ -n "$reg" ]; then
  push bench-stack:run bench/run:2
  # the app names bench-stack:run as its run image; the registry copy has another name, so --force
  # (as the lifecycle wants from Platform API 0.12)
  measure "rebase --publish (registry)" "$work/pl" pack rebase "$reg/bench/app:latest" --publish \
    --run-image "$reg/bench/run:2" --force
fi

measure "build (${BIG_LAYER_MB} MiB layer)" "$work/pl" pack build bench-big --builder bench-builder --path "$work/app" \
  --buildpack "$here/buildpacks/python" --buildpack "$here/bench/buildpacks/big" --env "BIG_LAYER_MB=$BIG_LAYER_MB"
measure "rebuild (${BIG_LAYER_MB} MiB, unchanged)" "$work/pl" pack build bench-big --builder bench-builder \
  --path "$work/app" --buildpack "$here/buildpacks/python" --buildpack "$here/bench/buildpacks/big" \
  --env "BIG_LAYER_MB=$BIG_LAYER_MB"
[ -n "$reg" ] && push bench-big bench/big:latest
printf 'FROM bench-stack:run\nLABEL again=1\nCOPY patch.txt /etc/packlab-patch-2.txt\n' > "$work/run2/Dockerfile"
pl docker build -t bench-stack:run "$work/run2" > /dev/null
measure "rebase (${BIG_LAYER_MB} MiB layer)" "$work/pl" pack rebase bench-big
if [ -n "$reg" ]; then
  push bench-stack:run bench/run:3
  measure "rebase --publish (${BIG_LAYER_MB} MiB)" "$work/pl" pack rebase "$reg/bench/big:latest" --publish \
    --run-image "$reg/bench/run:3" --force
fi

echo
printf '%-28s %10s %14s\n' "operation" "seconds" "peak RSS MiB"
while IFS=$'\t' read -r name secs kb; do
  printf '%-28s %10s %14d\n' "$name" "$secs" "$((kb / 1024))"
done < "$results"
first=$(awk -F'\t' '$1=="build (first)"{print $2}' "$results")
again=$(awk -F'\t' '$1=="build (unchanged)"{print $2}' "$results")
awk -v a="$again" -v f="$first" 'BEGIN { printf "\nunchanged rebuild / first build (sample app) = %.2f\n", a / f }'
bf=$(awk -F'\t' '$1 ~ /^build \(.*MiB layer\)$/ {print $2}' "$results")
ba=$(awk -F'\t' '$1 ~ /^rebuild \(.*unchanged\)$/ {print $2}' "$results")
awk -v a="$ba" -v f="$bf" 'BEGIN { printf "unchanged rebuild / first build (big layer) = %.2f\n", a / f }'
ds=$(awk -F'\t' '$1=="rebase"{print $2}' "$results")
db=$(awk -F'\t' '$1 ~ /^rebase \(.*MiB layer\)$/ {print $2}' "$results")
printf '\nrebase, daemon path:   sample app %ss, %s MiB layer %ss\n' "$ds" "$BIG_LAYER_MB" "$db"
if [ -n "$reg" ]; then
  rs=$(awk -F'\t' '$1=="rebase --publish (registry)"{print $2}' "$results")
  rb=$(awk -F'\t' '$1 ~ /^rebase --publish \(.*MiB\)$/ {print $2}' "$results")
  printf 'rebase, registry path: sample app %ss, %s MiB layer %ss (only manifests and configs move)\n' "$rs" \
    "$BIG_LAYER_MB" "$rb"
fi
