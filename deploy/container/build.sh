#!/usr/bin/env bash
# Builds every gongkai image with Debian's podman (buildah inside) from
# deploy/container/Containerfile: `./gongkai images` (tests/containers/run.sh runs them:
# `./gongkai images --test`). Minutes, not seconds: not part of ./gongkai test.
#
#   deploy/container/build.sh [--tag TAG] [--rebuild-base]
#
# 1. installs podman, buildah, mmdebstrap and runc if missing (only this script needs them);
# 2. the build base: no registry is reachable, so the Debian 12 root filesystem with the
#    build packages is made by mmdebstrap from the apt mirror the host uses and imported
#    as localhost/gongkai-build-base:bookworm (once; --rebuild-base to redo it);
# 3. one `podman build --target <image>` per image, sharing the cached build stage; the
#    compile runs under the build lock (flock /tmp/gongkai-build.lock) with -j2 and the
#    host's ccache mounted at /ccache.
# Images: gongkai/<image>:TAG (default 0.1.0, the tag k8s/base/ names). Prints the size
# of each and the build time, and writes them to build/containers/images.txt.
#
# Podman settings for this machine (runc, not crun; rlimits) are in
# deploy/container/containers.conf, passed as CONTAINERS_CONF.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
TAG=0.1.0
REBUILD_BASE=0
while (($#)); do
  case $1 in
    --tag) TAG=$2; shift 2 ;;
    --rebuild-base) REBUILD_BASE=1; shift ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

IMAGES=(catalog interpretation consultation opinion website assessment gateway)
BUILD_BASE=localhost/gongkai-build-base:bookworm
# The build subset of GONGKAI_PACKAGES in ./gongkai (keep the two in step), plus ccache.
BUILD_PACKAGES=(build-essential cmake pkg-config ccache libgrpc++-dev protobuf-compiler-grpc
  libprotobuf-dev protobuf-compiler libabsl-dev libmysqlcppconn-dev libgtest-dev libgmock-dev
  golang-github-grpc-ecosystem-grpc-gateway-dev golang-grpc-gateway python3-protobuf
  nlohmann-json3-dev libssl-dev libcpp-httplib-dev libjwt-dev libboost-dev tzdata
  prometheus-cpp-dev libcurl4-openssl-dev ca-certificates)
LOCK=/tmp/gongkai-build.lock
JOBS=${GONGKAI_IMAGE_JOBS:-2}
CCACHE_HOST_DIR=${CCACHE_DIR:-$(ccache -k cache_dir 2>/dev/null || echo "$HOME/.cache/ccache")}
OUT="$ROOT/build/containers"
export CONTAINERS_CONF="$ROOT/deploy/container/containers.conf"

log() { printf '[images] %s\n' "$*" >&2; }
podman_() { podman "$@"; }

install_tools() {
  local missing=() pkg
  for pkg in podman buildah mmdebstrap runc uidmap; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]}"
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

build_base() {
  if ((!REBUILD_BASE)) && podman_ image exists "$BUILD_BASE"; then
    log "build base $BUILD_BASE exists"
    return 0
  fi
  log "making $BUILD_BASE with mmdebstrap (Debian 12, ${#BUILD_PACKAGES[@]} packages)"
  local tar start=$SECONDS
  tar=$(mktemp /var/tmp/gongkai-build-base.XXXXXX.tar)
  # shellcheck disable=SC2016  # "$1" belongs to mmdebstrap's hook shell.
  # The host's downloaded .debs seed apt's cache (only a speed-up; missing ones download).
  mmdebstrap --variant=minbase --include="$(IFS=,; echo "${BUILD_PACKAGES[*]}")" \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives && cp /var/cache/apt/archives/*.deb "$1"/var/cache/apt/archives/ 2>/dev/null || true' \
    --customize-hook='rm -f "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*_Packages' \
    bookworm "$tar" \
    "deb http://deb.debian.org/debian bookworm main" \
    "deb http://deb.debian.org/debian bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main" >&2
  podman_ import --change 'CMD ["/bin/bash"]' "$tar" "$BUILD_BASE" >/dev/null
  rm -f "$tar"
  log "build base made in $((SECONDS - start)) s"
}

# The build context: only what the CMake configure and build read (tracked and new files,
# never ignored ones such as build/ or .gongkai/): the source folders, every
# CMakeLists.txt and *.cmake (the top level also adds deploy/ and k8s/ folders that only
# register tests), and rootfs.sh. Not the Containerfile (given with -f), the docs nor the
# container test scripts: editing them must not invalidate the cached build stage.
make_context() {
  local ctx=$1
  (cd "$ROOT" && git ls-files -co --exclude-standard -- CMakeLists.txt '*CMakeLists.txt' \
    '*.cmake' protos libs services gateway tests deploy/container/rootfs.sh \
    ':!tests/containers/*.sh' ':!tests/containers/*.py' | tar -cf - -T -) | tar -xf - -C "$ctx"
}

main() {
  install_tools
  build_base
  mkdir -p "$OUT" "$CCACHE_HOST_DIR"
  local start=$SECONDS image rows=()
  CTX=$(mktemp -d /var/tmp/gongkai-image-context.XXXXXX)
  trap 'rm -rf "$CTX"' EXIT
  make_context "$CTX"
  for image in "${IMAGES[@]}"; do
    local t0=$SECONDS
    log "building gongkai/$image:$TAG"
    # The first image compiles (the build stage); the others reuse its cached layers.
    # --format docker keeps HEALTHCHECK (the OCI format has no such field).
    flock "$LOCK" podman build --layers --format docker --network none \
      --build-arg BUILD_BASE="$BUILD_BASE" --build-arg JOBS="$JOBS" \
      --volume "$CCACHE_HOST_DIR:/ccache" \
      -f "$ROOT/deploy/container/Containerfile" --target "$image" \
      -t "gongkai/$image:$TAG" "$CTX" >&2
    rows+=("$image $((SECONDS - t0))")
  done
  {
    echo "# gongkai images built $(date -u +%FT%TZ) in $((SECONDS - start)) s (tag $TAG)"
    printf '%-16s %10s %8s\n' image size build_s
    local row
    for row in "${rows[@]}"; do
      # shellcheck disable=SC2086  # "image seconds"
      set -- $row
      printf '%-16s %10s %8s\n' "$1" \
        "$(podman_ image inspect --format '{{.Size}}' "gongkai/$1:$TAG" | numfmt --to=iec)" "$2"
    done
  } | tee "$OUT/images.txt"
}

main
