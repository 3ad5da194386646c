#!/usr/bin/env bash
# Benchmark of the built-in platform on a real Docker engine, beside a floor measured by hand in the
# same run: wall time and peak RSS of the packlab process for a first build, an unchanged rebuild, a
# rebuild after an app change and a rebase of the sample app, and a build, an unchanged rebuild and a
# rebase of an app with one big launch+cache layer (BIG_LAYER_MB, default 1024 MiB). When
# docker-registry is installed, the rebases are also done in a local registry (pack rebase --publish,
# on a free loopback port), to show that they do not grow with the app layers' size.
#
# The floor is the unavoidable work for the same big layer, done with the docker CLI alone:
#   floor: build    write the layer in a container, `docker cp` it out as a tar, sha256 it, and
#                   `docker load` it as a one-layer image;
#   floor: rebuild  start the container again, `docker cp` the layer out and sha256 it (nothing to load);
#   floor: sample   the sample app's build as a container alone can do it: `docker run` of the builder
#                   running the python buildpack's bin/detect and bin/build on the app (a fresh container,
#                   nothing read out, nothing loaded; what an unchanged rebuild cannot do without);
#   floor: rebase   read the big app's layers out of the engine once (`docker save` to /dev/null), plus
#                   load its big layer once as a new layer (`docker load` of the floor's one-layer image
#                   after its removal): a rebase puts the app layers on a new base, so the engine must
#                   apply them again (a `docker save | docker load` of the same image applies nothing).
# The whole sequence runs RUNS times (default 3); the table gives each operation's median (and the
# spread), peak RSS over the runs, and the ratios the issue asks for, to the floor or to the first build.
#
#   bash bench/platform.sh                       # BIG_LAYER_MB=1024, RUNS=3
#   BIG_LAYER_MB=512 RUNS=5 bash bench/platform.sh
#
# Needs a Docker engine and the stack bases (scripts/make-bases.sh). Everything it makes carries
# io.packlab.lesson=bench and is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
export BIG_LAYER_MB="${BIG_LAYER_MB:-1024}"
RUNS="${RUNS:-3}"
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
  docker rm -f packlab-bench-floor >/dev/null 2>&1 || true
  docker rmi -f packlab-bench-floor:latest >/dev/null 2>&1 || true
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

run=0
measure() {   # measure NAME command...: one sample of NAME in this run
  local name="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/last.log" 2>&1 || { cat "$work/last.log"; exit 1; }
  read -r secs kb < "$work/time"
  printf '%s\t%s\t%s\t%s\n' "$name" "$secs" "$kb" "$run" >> "$results"
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
original_run=$(docker image inspect -f '{{.Id}}' bench-stack:run)

# The floor, by hand, for the big layer (see the header): the same container image, the same bytes.
floor() {
  docker rm -f packlab-bench-floor >/dev/null 2>&1 || true
  docker rmi -f packlab-bench-floor:latest >/dev/null 2>&1 || true
  rm -rf "$work/floor" && mkdir -p "$work/floor"
  measure "floor: build" bash -c '
    set -euo pipefail
    docker run --name packlab-bench-floor --label io.packlab.lesson=bench --entrypoint sh bench-stack:build \
      -c "mkdir -p /tmp/floor/blob && head -c $((BIG_LAYER_MB * 1024 * 1024)) /dev/urandom > /tmp/floor/blob/data"
    docker cp packlab-bench-floor:/tmp/floor/blob - > "$1/layer.tar"
    diff=$(sha256sum "$1/layer.tar" | cut -d " " -f 1)
    printf "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"io.packlab.lesson\":\"bench\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:%s\"]}}" \
      "$diff" > "$1/config.json"
    printf "[{\"Config\":\"config.json\",\"RepoTags\":[\"packlab-bench-floor:latest\"],\"Layers\":[\"layer.tar\"]}]" \
      > "$1/manifest.json"
    tar -C "$1" -cf - config.json manifest.json layer.tar | docker load -q > /dev/null' floor "$work/floor"
  docker rmi -f packlab-bench-floor:latest >/dev/null
  measure "floor: load" bash -c 'tar -C "$1" -cf - config.json manifest.json layer.tar | docker load -q > /dev/null' \
    floor "$work/floor"
  rm -f "$work/floor/layer.tar"
  measure "floor: rebuild" bash -c '
    set -euo pipefail
    docker start -a packlab-bench-floor > /dev/null
    docker cp packlab-bench-floor:/tmp/floor/blob - | sha256sum > /dev/null'
  docker rm -f packlab-bench-floor >/dev/null
  docker rmi -f packlab-bench-floor:latest >/dev/null
}

for run in $(seq 1 "$RUNS"); do
  echo "run $run of $RUNS..."
  # each run starts from nothing but the builder and the first run image
  docker rmi -f bench-app bench-big >/dev/null 2>&1 || true
  docker volume ls -q --filter label=io.packlab.lesson=bench | xargs -r docker volume rm >/dev/null 2>&1 || true
  docker tag "$original_run" bench-stack:run
  rm -rf "$work/app" "$work/run2"
  cp -r "$here/sample-app" "$work/app"

  floor

  measure "floor: sample" docker run --rm --label io.packlab.lesson=bench -v "$work/app:/workspace" -w /workspace \
    --entrypoint sh bench-builder -c 'b=/cnb/buildpacks/example_python/0.0.1; mkdir -p /tmp/l /tmp/p &&
      $b/bin/detect /tmp/p /tmp/plan.toml && $b/bin/build /tmp/l /tmp/p /tmp/plan.toml'
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
    measure "rebase --publish" "$work/pl" pack rebase "$reg/bench/app:latest" --publish \
      --run-image "$reg/bench/run:2" --force
  fi

  big=(pack build bench-big --builder bench-builder --path "$work/app" --buildpack "$here/buildpacks/python"
    --buildpack "$here/bench/buildpacks/big" --env "BIG_LAYER_MB=$BIG_LAYER_MB")
  measure "big: build" "$work/pl" "${big[@]}"
  measure "big: rebuild (unchanged)" "$work/pl" "${big[@]}"
  [ -n "$reg" ] && push bench-big bench/big:latest
  measure "floor: save" bash -c 'docker save bench-big > /dev/null'
  printf 'FROM bench-stack:run\nLABEL again=1\nCOPY patch.txt /etc/packlab-patch-2.txt\n' > "$work/run2/Dockerfile"
  pl docker build -t bench-stack:run "$work/run2" > /dev/null
  measure "big: rebase" "$work/pl" pack rebase bench-big
  if [ -n "$reg" ]; then
    push bench-stack:run bench/run:3
    measure "big: rebase --publish" "$work/pl" pack rebase "$reg/bench/big:latest" --publish \
      --run-image "$reg/bench/run:3" --force
  fi
done

# median, min and max seconds and the peak RSS of each operation, in the order first measured
summary=$(awk -F'\t' '
  !($1 in n) { order[++count] = $1 }
  { n[$1]++; v[$1, n[$1]] = $2; if ($3 > rss[$1]) rss[$1] = $3 }
  END {
    for (i = 1; i <= count; i++) {
      k = order[i]; m = n[k]
      for (a = 1; a <= m; a++) s[a] = v[k, a]
      for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (s[b] + 0 < s[a] + 0) { t = s[a]; s[a] = s[b]; s[b] = t }
      med = (m % 2) ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
      printf "%s\t%.2f\t%.2f\t%.2f\t%d\t%d\n", k, med, s[1], s[m], rss[k] / 1024, m
    }
  }' "$results")
median() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' <<< "$summary"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }

echo
echo "BIG_LAYER_MB=$BIG_LAYER_MB, $RUNS run(s); seconds are medians (min-max over the runs)"
printf '%-26s %8s %17s %14s\n' "operation" "median s" "min-max" "peak RSS MiB"
while IFS=$'\t' read -r name med lo hi rss m; do
  printf '%-26s %8s %17s %14s\n' "$name" "$med" "$lo-$hi" "$rss"
done <<< "$summary"

echo
check() {   # check LABEL VALUE LIMIT: prints the ratio and whether it is within the limit
  awk -v l="$1" -v v="$2" -v lim="$3" 'BEGIN { printf "%-62s %6s   (at most %s: %s)\n", l, v, lim, (v != "-" && v + 0 <= lim + 0) ? "yes" : "NO" }'
}
check "big build / its floor" "$(ratio "$(median 'big: build')" "$(median 'floor: build')")" 1.5
check "big unchanged rebuild / big first build" "$(ratio "$(median 'big: rebuild (unchanged)')" "$(median 'big: build')")" 0.35
check "big unchanged rebuild / its floor" "$(ratio "$(median 'big: rebuild (unchanged)')" "$(median 'floor: rebuild')")" 1.5
floor_rebase=$(awk -v s="$(median 'floor: save')" -v l="$(median 'floor: load')" 'BEGIN { printf "%.2f", s + l }')
check "big rebase (daemon) / its floor (save + load: $floor_rebase s)" "$(ratio "$(median 'big: rebase')" "$floor_rebase")" 1.5
check "sample app unchanged rebuild / first build" "$(ratio "$(median 'build (unchanged)')" "$(median 'build (first)')")" 0.6
printf '%-62s %6s   (the buildpacks alone in a fresh container: %s s)\n' "sample app unchanged rebuild / its floor" \
  "$(ratio "$(median 'build (unchanged)')" "$(median 'floor: sample')")" "$(median 'floor: sample')"
if [ -n "$reg" ]; then
  printf '\nrebase --publish (registry): sample app %ss, %s MiB app %ss (only manifests and configs move)\n' \
    "$(median 'rebase --publish')" "$BIG_LAYER_MB" "$(median 'big: rebase --publish')"
fi
