#!/usr/bin/env bash
# Builds every gongkai image with Debian's podman (buildah inside) from
# deploy/container/Containerfile: `./gongkai images` (tests/containers/run.sh runs them:
# `./gongkai images --test`). Minutes, not seconds: not part of ./gongkai test.
#
#   deploy/container/build.sh [--tag TAG] [--rebuild-base] [--from-build DIR]
#
# 1. installs podman, buildah, mmdebstrap and runc if missing (only this script needs them);
# 2. the build base: no registry is reachable, so the Debian 12 root filesystem with the
#    build packages is made by mmdebstrap from the apt mirror the host uses and imported
#    as localhost/gongkai-build-base:bookworm (once; --rebuild-base to redo it);
# 3. one `podman build --target <image>` per image, sharing the cached build stage; the
#    compile runs under the build lock (flock /tmp/gongkai-build.lock) with -j2 and the
#    host's ccache mounted at /ccache.
# --from-build DIR: no compile in the container; the build stage takes the binaries of
# an existing CMake build of this tree (e.g. build/, made by ./gongkai under the lock)
# and the runtime stages are the Containerfile's own. For when the build lock is
# contended; the default (compile in the container) is the one to release from.
# Images: gongkai/<image>:TAG (default 0.1.0, the tag k8s/base/ names). Prints the size
# of each and the build time, and writes them to build/containers/images.txt.
#
# Podman settings for this machine (runc, not crun; rlimits) are in
# deploy/container/containers.conf, passed as CONTAINERS_CONF.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
TAG=0.1.0
REBUILD_BASE=0
FROM_BUILD=""
while (($#)); do
  case $1 in
    --tag) TAG=$2; shift 2 ;;
    --rebuild-base) REBUILD_BASE=1; shift ;;
    --from-build) FROM_BUILD=$(readlink -f "$2"); shift 2 ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

mapfile -t IMAGES < <(grep -v '^#' "$ROOT/deploy/container/images.list" | awk 'NF {print $1}')
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
    '*.cmake' protos libs services gateway tests deploy/container/rootfs.sh deploy/container/images.list \
    ':!tests/containers/*.sh' ':!tests/containers/*.py' | tar -cf - -T -) | tar -xf - -C "$ctx"
}

# --from-build: the context is the listed binaries of DIR, and the Containerfile's build
# stage is replaced by one that only lays out /rootfs (same rootfs.sh, same list).
make_prebuilt_context() {
  local ctx=$1 rel
  mkdir -p "$ctx/build" "$ctx/deploy/container"
  cp "$ROOT/deploy/container/rootfs.sh" "$ROOT/deploy/container/images.list" "$ctx/deploy/container/"
  # shellcheck disable=SC2013  # words: the binary paths of every line
  for rel in $(grep -v '^#' "$ROOT/deploy/container/images.list" | awk '{$1=""; print}'); do
    [[ -x $FROM_BUILD/$rel ]] || { echo "build.sh: $FROM_BUILD/$rel is not built" >&2; exit 1; }
    mkdir -p "$ctx/build/$(dirname "$rel")"
    cp "$FROM_BUILD/$rel" "$ctx/build/$rel"
  done
  # shellcheck disable=SC2016  # ${BUILD_BASE} is the Containerfile's ARG
  {
    echo 'ARG BUILD_BASE=localhost/gongkai-build-base:bookworm'
    echo 'FROM ${BUILD_BASE} AS build'
    echo 'WORKDIR /work/gongkai'
    echo 'COPY . .'
    echo 'RUN sh deploy/container/rootfs.sh build /rootfs deploy/container/images.list'
    sed -n '/^# -* runtimes/,$p' "$ROOT/deploy/container/Containerfile"
  } >"$ctx/Containerfile.from-build"
}

main() {
  install_tools
  build_base
  mkdir -p "$OUT" "$CCACHE_HOST_DIR"
  local start=$SECONDS image rows=()
  CTX=$(mktemp -d /var/tmp/gongkai-image-context.XXXXXX)
  trap 'rm -rf "$CTX"' EXIT
  local containerfile="$ROOT/deploy/container/Containerfile" lock=(flock "$LOCK")
  if [[ -n $FROM_BUILD ]]; then
    make_prebuilt_context "$CTX"
    containerfile="$CTX/Containerfile.from-build"
    lock=() # nothing is compiled
    log "--from-build $FROM_BUILD: packaging its binaries, no compile"
  else
    make_context "$CTX"
  fi
  for image in "${IMAGES[@]}"; do
    local t0=$SECONDS
    log "building gongkai/$image:$TAG"
    # The first image compiles (the build stage); the others reuse its cached layers.
    # --format docker keeps HEALTHCHECK (the OCI format has no such field).
    "${lock[@]}" podman build --layers --format docker --network none \
      --build-arg BUILD_BASE="$BUILD_BASE" --build-arg JOBS="$JOBS" \
      --volume "$CCACHE_HOST_DIR:/ccache" \
      -f "$containerfile" --target "$image" \
      -t "gongkai/$image:$TAG" "$CTX" >&2
    rows+=("$image $((SECONDS - t0))")
  done
  {
    echo "# gongkai images built $(date -u +%FT%TZ) in $((SECONDS - start)) s (tag $TAG${FROM_BUILD:+, --from-build $FROM_BUILD})"
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
