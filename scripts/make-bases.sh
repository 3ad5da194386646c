#!/usr/bin/env bash
# make-bases.sh — build local stand-ins for the public base images packlab's stacks use,
# from Debian packages only (Docker Hub and gcr.io need not be reachable):
#
#   packlab-base/debian:bookworm-slim          ~ debian:bookworm-slim
#   packlab-base/distroless-python3:debian12   ~ gcr.io/distroless/python3-debian12
#
# Usage: sudo scripts/make-bases.sh [--force] [--refresh-cache]
#   --force          rebuild the images even if they already exist
#   --refresh-cache  re-run debootstrap instead of reusing the cached rootfs (implies --force)
#
# Environment:
#   DEBIAN_MIRROR           Debian mirror     (default http://deb.debian.org/debian)
#   DEBIAN_SECURITY_MIRROR  security mirror   (default http://deb.debian.org/debian-security;
#                           empty = leave the security suite out of the image's apt sources)
#   XDG_CACHE_HOME          the debootstrap rootfs is cached in $XDG_CACHE_HOME/packlab/
#
# Needs: root, docker (daemon running), debootstrap, tar, gzip. Idempotent.
set -euo pipefail

SUITE=bookworm
DEBIAN_IMAGE=packlab-base/debian:bookworm-slim
DISTROLESS_IMAGE=packlab-base/distroless-python3:debian12
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
DEBIAN_SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR-http://deb.debian.org/debian-security}
CACHE_DIR=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/packlab
IMAGE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

start=$SECONDS
force=false
refresh=false
for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    --refresh-cache) refresh=true; force=true ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "make-bases: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

log() { printf '==> [%3ds] %s\n' "$((SECONDS - start))" "$*" >&2; }
die() { printf 'make-bases: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap needs it)"
command -v docker >/dev/null || die "docker is not installed"
docker info >/dev/null 2>&1 || die "the Docker daemon is not reachable (is dockerd running?)"

ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)
CACHE_TAR=$CACHE_DIR/debootstrap-$SUITE-minbase-$ARCH.tar.gz

WORK=$(mktemp -d "${TMPDIR:-/tmp}/packlab-bases.XXXXXX")
cleanup() {
  # Unmount anything left mounted below $WORK (an interrupted debootstrap), then delete it
  # without crossing into other file systems.
  awk -v w="$WORK/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r \
    | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }
image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
# After a rebuild, delete the image the tag used to point at, if nothing else uses it.
drop_old() {
  local old=$1 tag=$2
  if [ -n "$old" ] && [ "$old" != "$(image_id "$tag")" ]; then
    docker image rm "$old" >/dev/null 2>&1 && log "removed the previous $tag ($old)" || true
  fi
}

# ---------------------------------------------------------------------------------------------
# 1. The debootstrap rootfs (cached: debootstrap takes a minute or two, unpacking the cache
#    takes seconds).
# ---------------------------------------------------------------------------------------------
ensure_rootfs_cache() {
  if [ -s "$CACHE_TAR" ] && ! $refresh; then
    log "using cached debootstrap rootfs $CACHE_TAR"
    return
  fi
  command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"
  log "debootstrap --variant=minbase $SUITE from $DEBIAN_MIRROR (takes a minute or two)"
  local root=$WORK/debootstrap
  mkdir -p "$root"
  if ! debootstrap --variant=minbase --arch="$ARCH" "$SUITE" "$root" "$DEBIAN_MIRROR" \
      >"$WORK/debootstrap.log" 2>&1; then
    tail -n 30 "$WORK/debootstrap.log" >&2
    [ -f "$root/debootstrap/debootstrap.log" ] && tail -n 30 "$root/debootstrap/debootstrap.log" >&2
    die "debootstrap failed"
  fi
  mkdir -p "$CACHE_DIR"
  # Device nodes, /proc and /sys contents are not worth caching (and /dev is emptied anyway).
  tar --numeric-owner -C "$root" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
      -cf - . | gzip -1 >"$CACHE_TAR.tmp"
  mv "$CACHE_TAR.tmp" "$CACHE_TAR"
  rm -rf "$root"
  log "cached rootfs in $CACHE_TAR ($(du -h "$CACHE_TAR" | cut -f1))"
}

# Make a debootstrap rootfs look like the official debian:*-slim image (debuerreotype's
# "minimizing config" and "slimify" steps, plus apt sources in deb822 form).
slim_down() {
  local r=$1
  # Files that belong to the host or to the container runtime, not to an image.
  rm -rf "$r"/dev/* "$r"/proc/* "$r"/sys/* "$r"/run/* "$r"/tmp/* "$r"/var/tmp/* "$r"/debootstrap
  rm -f "$r"/etc/hostname "$r"/etc/resolv.conf "$r"/etc/hosts
  if [ -e "$r"/etc/machine-id ]; then : >"$r"/etc/machine-id; fi
  # apt sources like the official image (main suite, updates, security).
  rm -f "$r"/etc/apt/sources.list
  mkdir -p "$r"/etc/apt/sources.list.d
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$DEBIAN_MIRROR" "$SUITE" "$SUITE"
    if [ -n "$DEBIAN_SECURITY_MIRROR" ]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$DEBIAN_SECURITY_MIRROR" "$SUITE"
    fi
  } >"$r"/etc/apt/sources.list.d/debian.sources
  # apt/dpkg settings of the official image: no caches, no translations, no docs.
  cat >"$r"/etc/apt/apt.conf.d/docker-clean <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$r"/etc/apt/apt.conf.d/docker-no-languages
  printf 'Acquire::GzipIndexes "true";\nAcquire::CompressionTypes::Order:: "gz";\n' \
    >"$r"/etc/apt/apt.conf.d/docker-gzip-indexes
  echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$r"/etc/apt/apt.conf.d/docker-autoremove-suggests
  echo 'force-unsafe-io' >"$r"/etc/dpkg/dpkg.cfg.d/docker-apt-speedup
  cat >"$r"/etc/dpkg/dpkg.cfg.d/docker <<'EOF'
# This is the "slim" variant: documentation and translations are not installed.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
  # Services must not start while images are built.
  printf '#!/bin/sh\nexit 101\n' >"$r"/usr/sbin/policy-rc.d
  chmod 0755 "$r"/usr/sbin/policy-rc.d
  # Drop what the dpkg excludes above would not have installed.
  find "$r"/usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  find "$r"/usr/share/doc -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf "$r"/usr/share/man/* "$r"/usr/share/groff/* "$r"/usr/share/info/* \
         "$r"/usr/share/lintian/* "$r"/usr/share/linda/* "$r"/usr/share/locale/*
  # Caches and logs.
  rm -rf "$r"/var/lib/apt/lists/* "$r"/var/cache/apt/* "$r"/var/cache/debconf/*-old \
         "$r"/var/lib/dpkg/*-old "$r"/var/log/* "$r"/root/.cache
  mkdir -p "$r"/var/lib/apt/lists/partial "$r"/var/cache/apt/archives/partial
  chmod 1777 "$r"/tmp "$r"/var/tmp
}

make_debian() {
  if image_exists "$DEBIAN_IMAGE" && ! $force; then
    log "$DEBIAN_IMAGE exists, skipping (use --force to rebuild)"
    return
  fi
  ensure_rootfs_cache
  log "building $DEBIAN_IMAGE"
  local old r=$WORK/debian
  old=$(image_id "$DEBIAN_IMAGE")
  mkdir -p "$r"
  tar --numeric-owner -C "$r" -xzf "$CACHE_TAR"
  slim_down "$r"
  # Imported untagged, tagged once it is known to work (a failed run leaves no broken tag).
  local id
  id=$(tar --numeric-owner -C "$r" -cf - . | docker import \
    --change 'CMD ["bash"]' \
    --change "ENV PATH=$IMAGE_PATH" \
    --change 'LABEL io.packlab.base=debian-bookworm-slim' \
    --message "packlab: debootstrap --variant=minbase $SUITE, slimmed" -)
  rm -rf "$r"
  if ! docker run --rm "$id" bash -c '. /etc/os-release && echo "    $PRETTY_NAME"' >&2; then
    docker image rm "$id" >/dev/null 2>&1 || true
    die "the new $DEBIAN_IMAGE does not run"
  fi
  docker tag "$id" "$DEBIAN_IMAGE"
  drop_old "$old" "$DEBIAN_IMAGE"
  log "built $DEBIAN_IMAGE"
}

# ---------------------------------------------------------------------------------------------
# 2. The distroless Python image: python3.11 and the shared libraries it needs, no shell.
#    A throwaway container of the Debian base installs the packages, copies only their files
#    (plus the libraries ldd finds) into /out, and streams /out as a tar.
# ---------------------------------------------------------------------------------------------
# Packages of gcr.io/distroless/python3-debian12 (its base, cc and python3 layers).
DISTROLESS_PACKAGES="base-files netbase tzdata media-types ca-certificates libc6 libssl3
  libgcc-s1 libstdc++6 libgomp1
  libbz2-1.0 libdb5.3 libexpat1 liblzma5 libsqlite3-0 libuuid1 libncursesw6 libtinfo6 zlib1g
  libcom-err2 libcrypt1 libgssapi-krb5-2 libk5crypto3 libkeyutils1 libkrb5-3 libkrb5support0
  libnsl2 libreadline8 libtirpc3 libffi8
  libpython3.11-minimal libpython3.11-stdlib python3.11-minimal python3-distutils"

# Runs inside the container (bash of the Debian base). Everything but the tar goes to stderr.
# shellcheck disable=SC2016
SELECT_SCRIPT='
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
step() { echo "step: [${SECONDS}s] $*" >&2; }
step apt-get
{
  apt-get update -q
  apt-get -y -q upgrade
  apt-get install -y -q --no-install-recommends $PACKAGES
} >&2

step selecting files
# Which package owns a file? (merged /usr: dpkg may know it under /lib or /usr/lib)
owner() {
  local p
  for p in "$1" "/usr$1" "${1#/usr}" "$(readlink -f "$1")"; do
    dpkg -S "$p" 2>/dev/null | head -n1 | cut -d: -f1 && return 0
  done
  echo "no package owns $1" >&2; return 1
}

ELF=$(printf "\177ELF")
# The dynamic loader lists what a file loads (ldd does the same, with many more forks).
LDSO=
for f in /lib64/ld-linux*.so.* /lib/ld-linux*.so.*; do
  if [ -e "$f" ]; then LDSO=$(readlink -f "$f"); break; fi
done
[ -n "$LDSO" ] || { echo "no dynamic loader found" >&2; exit 1; }
# (The gconv modules of glibc need libc only, so they are skipped to save time.)
# Packages = the list + owners of every library their ELF files load, to a fixed point.
pkgs=$(printf "%s\n" $PACKAGES | sort -u)
while :; do
  for p in $pkgs; do dpkg -L "$p"; done | sort -u >/tmp/files
  libs=$(while read -r f; do
           [ -f "$f" ] && [ ! -L "$f" ] || continue
           IFS= read -r -n4 magic <"$f" 2>/dev/null || true
           [ "$magic" = "$ELF" ] || continue
           "$LDSO" --list "$f" 2>/dev/null || true
         done < <(grep -v "/gconv/" /tmp/files))
  if printf "%s\n" "$libs" | grep -q "not found"; then
    printf "%s\n" "$libs" | grep "not found" | sort -u >&2; exit 1
  fi
  more=$(printf "%s\n" "$libs" | awk "/=> \\//{print \$3} /^[[:space:]]*\\/[^ ]*ld-linux/{print \$1}" \
         | sort -u | while read -r l; do owner "$l"; done | sort -u)
  new=$(printf "%s\n%s\n" "$pkgs" "$more" | grep -v "^$" | sort -u)
  [ "$new" = "$pkgs" ] && break
  echo "ldd adds: $(comm -13 <(echo "$pkgs") <(echo "$new") | tr "\n" " ")" >&2
  pkgs=$new
done
echo "packages: $(echo $pkgs)" >&2

# Canonical paths (merged /usr: /lib/x -> /usr/lib/x), minus docs and shell scripts.
declare -A canon
while read -r f; do
  [ -e "$f" ] || [ -L "$f" ] || continue
  d=${f%/*}; d=${d:-/}
  [ -n "${canon[$d]+x}" ] || canon[$d]=$(readlink -f "$d")
  c=${canon[$d]}; echo "${c%/}/${f##*/}"
done </tmp/files | sort -u | grep -Ev "^/usr/share/(doc|man|info|lintian|locale|bug|menu)/|^/usr/share/doc$|^/etc/update-motd\.d|^/usr/sbin/update-ca-certificates$|^/etc/(profile|bash\.bashrc|skel)|^/usr/share/base-files/dot\." \
  >/tmp/keep
# Keep the copyright files (licences) of the packages.
for p in $pkgs; do
  if [ -f "/usr/share/doc/$p/copyright" ]; then echo "/usr/share/doc/$p/copyright"; fi
done >>/tmp/keep
# Not owned by the packages but part of a working system: the CA bundle made by
# update-ca-certificates, OpenSSL s config and its default paths, the loader config.
for f in /etc/ssl/certs /usr/lib/ssl/certs /usr/lib/ssl/private /usr/lib/ssl/openssl.cnf \
         /etc/ssl/openssl.cnf /etc/ld.so.conf; do
  if [ -e "$f" ] || [ -L "$f" ]; then echo "$f"; fi
done >>/tmp/keep

step copying files
mkdir /out
cd /out
mkdir -p usr/bin usr/sbin usr/lib usr/lib64 etc root home/nonroot tmp var/tmp var/lib/dpkg/status.d
ln -s usr/bin bin; ln -s usr/sbin sbin; ln -s usr/lib lib; ln -s usr/lib64 lib64
sed "s|^/||" /tmp/keep | grep -v "^$" | sort -u \
  | tar -C / --no-recursion -T - -cf - | tar -C /out --keep-directory-symlink -xf -
# /etc/ssl/certs is a directory: take all of it (the bundle and the hash links).
tar -C / -cf - etc/ssl/certs | tar -C /out -xf -

# python, python3 -> python3.11 (as distroless has them); no shell anywhere.
ln -sf python3.11 usr/bin/python3
ln -sf python3.11 usr/bin/python
rm -f usr/bin/sh usr/bin/bash usr/bin/dash usr/bin/rbash

# Users like distroless: root, nobody, nonroot (65532).
cat >etc/passwd <<EOF
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
cat >etc/group <<EOF
root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
EOF
cat >etc/nsswitch.conf <<EOF
passwd:         files
group:          files
shadow:         files
hosts:          files dns
networks:       files
protocols:      files
services:       files
ethers:         files
rpc:            files
EOF
chmod 0700 root home/nonroot
chown 65532:65532 home/nonroot
chmod 1777 tmp var/tmp
# Package records for image scanners, in distroless form (one file per package).
for p in $pkgs; do dpkg-query -s "$p" >"var/lib/dpkg/status.d/$p"; done
# The loader cache for exactly these libraries.
ldconfig -r /out
# No executable but python (and python scripts) may be left in the bin directories.
bad=$(find usr/bin usr/sbin -mindepth 1 \( -type f -o -type l \) ! -name "python*" ! -name "py*3*" ! -name "pydoc*" -print || true)
if [ -n "$bad" ]; then echo "unexpected executables: $bad" >&2; exit 1; fi
echo "files: $(find . | wc -l), size: $(du -sh . | cut -f1)" >&2
step streaming the rootfs
tar --numeric-owner -C /out -cf - .
'

make_distroless() {
  if image_exists "$DISTROLESS_IMAGE" && ! $force; then
    log "$DISTROLESS_IMAGE exists, skipping (use --force to rebuild)"
    return
  fi
  log "building $DISTROLESS_IMAGE (apt-get inside a $DEBIAN_IMAGE container)"
  local old tarball=$WORK/distroless.tar
  old=$(image_id "$DISTROLESS_IMAGE")
  # shellcheck disable=SC2086
  docker run --rm --network=host -e PACKAGES="$(echo $DISTROLESS_PACKAGES)" \
    "$DEBIAN_IMAGE" bash -c "$SELECT_SCRIPT" >"$tarball" 2>"$WORK/select.log" || {
      tail -n 40 "$WORK/select.log" >&2
      die "could not assemble the distroless rootfs"
    }
  grep -E '^(step|ldd adds|packages|files):' "$WORK/select.log" | sed 's/^/    /' >&2 || true
  # Imported untagged, tagged once it passes the checks below.
  local id out
  id=$(docker import \
    --change 'ENTRYPOINT ["/usr/bin/python3"]' \
    --change "ENV PATH=$IMAGE_PATH" \
    --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'LABEL io.packlab.base=distroless-python3-debian12' \
    --message "packlab: python3.11 from Debian $SUITE packages, no shell" \
    "$tarball")
  rm -f "$tarball"
  # Checks: Python with its standard library and TLS works; there is no shell.
  local problem=
  out=$(docker run --rm "$id" -c 'import http.server, json, ssl, sqlite3, ctypes, zlib, lzma, bz2, hashlib, decimal, uuid; ssl.create_default_context(); print("ok")' 2>&1) || true
  [ "$out" = ok ] || problem="python does not work: $out"
  if docker run --rm --entrypoint /bin/sh "$id" -c true >/dev/null 2>&1; then
    problem="it has a shell"
  fi
  if [ -n "$problem" ]; then
    docker image rm "$id" >/dev/null 2>&1 || true
    die "the new $DISTROLESS_IMAGE is wrong: $problem"
  fi
  docker tag "$id" "$DISTROLESS_IMAGE"
  drop_old "$old" "$DISTROLESS_IMAGE"
  log "built $DISTROLESS_IMAGE"
}

make_debian
make_distroless
log "done in $((SECONDS - start)) s"
docker image ls --format '    {{.Repository}}:{{.Tag}}  {{.Size}}' packlab-base/debian >&2
docker image ls --format '    {{.Repository}}:{{.Tag}}  {{.Size}}' packlab-base/distroless-python3 >&2
