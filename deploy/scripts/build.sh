# shellcheck shell=bash
# Installing Debian packages and building the project. Sourced by ./gongkai.
# Uses GONGKAI_PACKAGES (defined at the top of ./gongkai) and GONGKAI_ROOT.

# Installs the packages of GONGKAI_PACKAGES that dpkg does not report as installed.
install_missing_packages() {
  local pkg missing=()
  for pkg in $GONGKAI_PACKAGES; do
    if [[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null) != ii* ]]; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  log "installing missing Debian packages: ${missing[*]}"
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "not root and no sudo: install as root: apt-get install ${missing[*]}"
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
    die "apt-get update failed"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends "${missing[@]}" ||
    die "apt-get install failed for: ${missing[*]}"
}

# Configures (Release) and builds everything in build/, under the team build lock.
# Arguments are passed to the configure step (e.g. -DGONGKAI_TESTS=e2e).
build_project() {
  log "building (Release) in $GONGKAI_BUILD_DIR"
  with_build_lock _configure_and_build "$@" || die "build failed (see the compiler output above)"
}

_configure_and_build() {
  cmake -S "$GONGKAI_ROOT" -B "$GONGKAI_BUILD_DIR" -DCMAKE_BUILD_TYPE=Release "$@" &&
    cmake --build "$GONGKAI_BUILD_DIR" -j"$(nproc)"
}
