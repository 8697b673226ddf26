#!/usr/bin/env bash
# tests/bench/grpc_gateway_peer/build.sh OUT_DIR — builds the grpc-gateway peer of the
# gateway benchmark (issue 14, P2) into OUT_DIR/grpc-gateway-peer and prints its path.
#
# Everything from Debian 12: golang-go, grpc-gateway v1.6.4 (its generator and runtime),
# the v1 Go protobuf runtime (protoc-gen-go 1.3), grpc-go 1.33 and genproto, all in
# /usr/share/gocode. The Go code for catalog.proto is generated here (not committed),
# with google/protobuf/timestamp.proto mapped to the v1 runtime's ptypes/timestamp,
# and built in GOPATH mode with no network (GOPROXY=off).
# Installs its packages with apt when they are missing (bench only, not ./gongkai test).
# Rebuilds only when the protos, main.go or this script changed.
set -euo pipefail

HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
OUT=${1:?usage: build.sh OUT_DIR}
PACKAGES=(golang-go golang-grpc-gateway golang-github-grpc-ecosystem-grpc-gateway-dev
  golang-google-genproto-dev protoc-gen-go-grpc golang-google-protobuf-dev
  golang-goprotobuf-dev golang-google-grpc-dev protobuf-compiler)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "grpc-gateway peer: installing ${missing[*]}" >&2
  if ((EUID == 0)); then apt=(apt-get); else apt=(sudo apt-get); fi
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq "${missing[@]}" >&2
fi

GOOGLEAPIS=/usr/share/gocode/src/github.com/grpc-ecosystem/grpc-gateway/third_party/googleapis
PROTOS=(gongkai/api/annotations.proto gongkai/common/v1/common.proto gongkai/catalog/v1/catalog.proto)
key=$( {
  cat "$HERE/main.go" "$HERE/build.sh"
  for p in "${PROTOS[@]}"; do cat "$ROOT/protos/$p"; done
  go version
} | sha256sum | cut -d' ' -f1)
bin="$OUT/grpc-gateway-peer"
if [[ -x $bin && -f $OUT/build.key && $(cat "$OUT/build.key") == "$key" ]]; then
  echo "$bin"
  exit 0
fi

gopath="$OUT/gopath"
rm -rf "$gopath" "$OUT/build.key"
mkdir -p "$gopath/src/gongkai-peer"
# The v1 generator (protoc-gen-go 1.3, plugins=grpc): import paths of every proto by M
# options, timestamp and descriptor from the v1 runtime, google.api from genproto.
maps=Mgoogle/protobuf/timestamp.proto=github.com/golang/protobuf/ptypes/timestamp
maps+=,Mgoogle/protobuf/descriptor.proto=github.com/golang/protobuf/protoc-gen-go/descriptor
maps+=,Mgoogle/api/annotations.proto=google.golang.org/genproto/googleapis/api/annotations
maps+=,Mgongkai/api/annotations.proto=gongkai/api
maps+=,Mgongkai/common/v1/common.proto=gongkai/common/v1
maps+=,Mgongkai/catalog/v1/catalog.proto=gongkai/catalog/v1
for p in "${PROTOS[@]}"; do
  protoc -I"$ROOT/protos" -I"$GOOGLEAPIS" -I/usr/include \
    --plugin=protoc-gen-go=/usr/bin/protoc-gen-go \
    --go_out=plugins=grpc,"$maps":"$gopath/src" "$p"
done
protoc -I"$ROOT/protos" -I"$GOOGLEAPIS" -I/usr/include \
  --grpc-gateway_out=logtostderr=true,"$maps":"$gopath/src" gongkai/catalog/v1/catalog.proto
cp "$HERE/main.go" "$gopath/src/gongkai-peer/main.go"
(
  cd "$gopath/src/gongkai-peer"
  GO111MODULE=off GOPATH="$gopath:/usr/share/gocode" GOPROXY=off GOFLAGS= \
    GOCACHE="$OUT/go-cache" go build -o "$bin" .
)
echo "$key" >"$OUT/build.key"
echo "$bin"
