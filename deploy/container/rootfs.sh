#!/bin/sh
# rootfs.sh BUILD_DIR OUT LIST: does the below for every line "IMAGE BINARY..." of LIST
# (deploy/container/images.list).
# rootfs.sh BUILD_DIR OUT IMAGE BINARY...: lays out OUT/IMAGE/, the whole root filesystem
# of a FROM-scratch runtime image (deploy/container/Containerfile, build stage):
#   /usr/local/bin/<binary>     stripped
#   every shared library the binaries link (ldd), at its Debian path, and the loader
#   /usr/share/zoneinfo/{Asia/Shanghai,UTC,Etc/UTC}   (libs/clock: the statutory day)
#   /etc/ssl/certs/ca-certificates.crt                 (TLS to a managed database)
#   /etc/passwd, /etc/group with gongkai 65532          (non-root; no login shell)
#   /tmp                                               (empty; the images need no
#                                                      writable path, run --read-only)
# Fails when a library is "not found", so an image never lacks one.
set -eu
if [ $# -eq 3 ] && [ -f "$3" ]; then
  grep -v '^#' "$3" | while read -r line; do
    [ -n "$line" ] || continue
    # shellcheck disable=SC2086  # the line is "IMAGE BINARY..."
    sh "$0" "$1" "$2" $line
  done
  exit 0
fi
if [ $# -lt 4 ]; then
  echo "rootfs.sh: usage: BUILD_DIR OUT LIST | BUILD_DIR OUT IMAGE BINARY... (got: $*)" >&2
  exit 2
fi
build=$1 out=$2 image=$3
shift 3
root="$out/$image"
mkdir -p "$root/usr/local/bin" "$root/etc/ssl/certs" "$root/tmp" "$root/usr/share/zoneinfo/Asia" \
  "$root/usr/share/zoneinfo/Etc"
chmod 1777 "$root/tmp"
bins=""
for rel in "$@"; do
  bin="$root/usr/local/bin/$(basename "$rel")"
  install -m 0755 -s "$build/$rel" "$bin"
  bins="$bins $bin"
done
# shellcheck disable=SC2086  # word splitting of the binary list is wanted
if ldd $bins | grep 'not found'; then
  echo "rootfs.sh: $image: missing shared libraries (above)" >&2
  exit 1
fi
# Both the "name => /path" lines and the loader's own "/lib64/ld-linux... (0x...)" line.
# shellcheck disable=SC2086
ldd $bins | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $2 ~ /^\(0x/ {print $1}' | sort -u |
  while read -r lib; do
    cp -L --parents "$lib" "$root/"
    # /lib is a symlink to usr/lib on Debian 12: keep both spellings working.
    real=$(readlink -f "$lib")
    [ "$real" = "$lib" ] || cp -L --parents "$real" "$root/"
  done
# Merged /usr: the loader path in every binary is /lib64/..., libraries under /lib/...
for dir in lib lib64; do
  if [ -d "$root/$dir" ] && [ ! -L "$root/$dir" ]; then
    mkdir -p "$root/usr/$dir"
    cp -a "$root/$dir/." "$root/usr/$dir/"
    rm -rf "${root:?}/$dir"
    ln -s "usr/$dir" "$root/$dir"
  fi
done
cp -L /usr/share/zoneinfo/Asia/Shanghai "$root/usr/share/zoneinfo/Asia/Shanghai"
cp -L /usr/share/zoneinfo/UTC "$root/usr/share/zoneinfo/UTC"
cp -L /usr/share/zoneinfo/Etc/UTC "$root/usr/share/zoneinfo/Etc/UTC"
cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/nonexistent:/usr/sbin/nologin\ngongkai:x:65532:65532:gongkai:/nonexistent:/usr/sbin/nologin\n' \
  >"$root/etc/passwd"
printf 'root:x:0:\ngongkai:x:65532:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
echo "rootfs.sh: $image: $(du -sh "$root" | cut -f1) ($*)"
