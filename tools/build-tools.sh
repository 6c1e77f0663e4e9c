#!/usr/bin/env bash
# Builds the pinned nomad-pack and nomad binaries from the Go module proxy into a cache
# outside the work tree, keyed by version; a second run reuses them and says so.
# Prints the absolute paths of the binaries as NOMAD=... and NOMAD_PACK=... on the last lines.
set -euo pipefail

NOMAD_VERSION=1.11.3
NOMAD_COMMIT=173ab08a0210789da531847c4ce3c3518f7fb34b
NOMAD_PACK_VERSION=0.4.2
NOMAD_PACK_COMMIT=cd4d2a41c22adba1350b8d5da63252f2dde33262
# nomad's go.mod replaces nomad/api with ./api, which the module zip lacks, and the
# pseudo-version nomad-pack v0.4.2 pins (v0.0.0-20260304165455-489f8b9d1054) is refused by
# the module proxy here. Both tools are built against this published api pseudo-version.
NOMAD_API_VERSION=v0.0.0-20261016150620-df630b26e78a

source "$(dirname "$0")/env.sh"
BIN="$TOOLS_CACHE/bin"
mkdir -p "$BIN"

need() { command -v "$1" >/dev/null 2>&1 || { echo "build-tools: '$1' not found: $2" >&2; exit 1; }; }

# Points the module in the current directory at the published nomad/api pseudo-version.
use_api() {
  go mod edit -replace "github.com/hashicorp/nomad/api=github.com/hashicorp/nomad/api@$NOMAD_API_VERSION"
}

build_nomad_pack() {
  local out="$BIN/nomad-pack-$NOMAD_PACK_VERSION" dir pkg=github.com/hashicorp/nomad-pack/internal/pkg/version
  if [ -x "$out" ]; then echo "nomad-pack $NOMAD_PACK_VERSION: cached at $out (nothing to do)" >&2; return; fi
  echo "nomad-pack $NOMAD_PACK_VERSION: building from the Go module proxy (a few minutes)..." >&2
  dir=$(go_module_copy github.com/hashicorp/nomad-pack "v$NOMAD_PACK_VERSION")
  (cd "$dir" && use_api \
    && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -o "$out.tmp" \
    -ldflags "-s -w -X $pkg.GitDescribe=v$NOMAD_PACK_VERSION -X $pkg.GitCommit=$NOMAD_PACK_COMMIT" .)
  mv "$out.tmp" "$out"
  rm -rf "$dir"
}

# Fails unless the nomad binary $1 serves its web UI (the `ui` build tag), on a throwaway server.
check_nomad_ui() {
  local tmp http
  tmp=$(mktemp -d)
  http=$(free_port)
  cat >"$tmp/agent.hcl" <<EOF
data_dir             = "$tmp/data"
bind_addr            = "127.0.0.1"
disable_update_check = true
ports {
  http = $http
  rpc  = $(free_port)
  serf = $(free_port)
}
advertise {
  http = "127.0.0.1"
  rpc  = "127.0.0.1"
  serf = "127.0.0.1"
}
server {
  enabled          = true
  bootstrap_expect = 1
}
EOF
  check_ui_served "nomad $NOMAD_VERSION" "http://127.0.0.1:$http/ui/" nomad-ui/config/environment \
    "$1" agent -config "$tmp/agent.hcl"
  rm -rf "$tmp"
}

build_nomad() {
  local out="$BIN/nomad-$NOMAD_VERSION" dir
  if [ -x "$out" ]; then echo "nomad $NOMAD_VERSION: cached at $out (nothing to do)" >&2; return; fi
  need gcc "install gcc (apt-get install gcc): nomad is built with cgo so the exec driver exists"
  echo "nomad $NOMAD_VERSION: building from the Go module proxy with cgo (10+ minutes on 2 cores)..." >&2
  dir=$(go_module_copy github.com/hashicorp/nomad "v$NOMAD_VERSION")
  (cd "$dir" && use_api \
    && CGO_ENABLED=1 GOFLAGS=-mod=mod go build -trimpath -tags ui -o "$out.tmp" \
      -ldflags "-s -w -X github.com/hashicorp/nomad/version.GitCommit=$NOMAD_COMMIT" .)
  check_nomad_ui "$out.tmp"
  mv "$out.tmp" "$out"
  rm -rf "$dir"
}

need go "install Go 1.25.8 or newer (https://go.dev/dl/) to build the pinned nomad and nomad-pack"
build_nomad_pack
build_nomad
echo "NOMAD=$BIN/nomad-$NOMAD_VERSION"
echo "NOMAD_PACK=$BIN/nomad-pack-$NOMAD_PACK_VERSION"
