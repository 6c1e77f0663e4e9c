#!/usr/bin/env bash
# Builds a KrakenD-compatible gateway binary for the krakend pack's check and the end-to-end tests,
# cached in the tool cache and reused when present.
#
# First choice: KrakenD CE (github.com/krakend/krakend-ce/v2) from the Go module proxy. The proxy
# this project may use is a restricted mirror that answers 403 for every krakend-ce v2 version, so
# the fallback is a small gateway on Lura (github.com/luraproject/lura/v2), the engine KrakenD CE is
# built on: the same version-3 config parser, gin router (with /__health) and HTTP proxy, without
# the CE plugins (extra_config namespaces are accepted but ignored). Its source is
# tools/go/lura-gateway/main.go; it takes KrakenD's command line for what the packs use:
# `<bin> check -c <file>` and `<bin> run -c <file>`. Versions are pinned in tools/env.sh.
#
#   tools/build-krakend.sh            build unless cached; the last line printed is KRAKEND=<path>
#   tools/build-krakend.sh --cached   only print KRAKEND=<path> of a cached build (exit 1 if none)
#   tools/build-krakend.sh --vet      gofmt and go vet the gateway's source (make test's lint)
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "$0")/env.sh"
SRC="$REPO/tools/go/lura-gateway"
ce_bin="$BIN/krakend-${KRAKEND_CE_VERSION#v}"
lura_bin="$BIN/krakend-lura-${LURA_VERSION#v}"
mkdir -p "$BIN"

# lura_module DIR: a Go module in DIR with the gateway's source and Lura at its pin.
lura_module() {
  cp "$SRC/main.go" "$1/"
  if ! (cd "$1" && go mod init krakend-lura && go get "github.com/luraproject/lura/v2@$LURA_VERSION" \
    && go mod tidy) >"$1/go-mod.log" 2>&1; then
    cat "$1/go-mod.log" >&2
    die "could not resolve github.com/luraproject/lura/v2@$LURA_VERSION through the Go module proxy (go's output above)"
  fi
}

for bin in "$ce_bin" "$lura_bin"; do
  if [ -x "$bin" ] && [ "${1:-}" != --vet ]; then
    echo "reusing $bin" >&2
    echo "KRAKEND=$bin"
    exit 0
  fi
done
[ "${1:-}" != --cached ] || exit 1

command -v go >/dev/null || die "go not found: install Go >= 1.22 to build the gateway"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ "${1:-}" = --vet ]; then
  unformatted=$(gofmt -l "$SRC")
  [ -z "$unformatted" ] || die "not gofmt-formatted (run gofmt -w): $unformatted"
  lura_module "$work"
  (cd "$work" && go vet ./...) || die "go vet found problems in $SRC/main.go"
  echo "gofmt and go vet: $SRC clean"
  exit 0
fi

# 1. KrakenD CE itself.
echo "trying github.com/krakend/krakend-ce/v2@$KRAKEND_CE_VERSION from $(go env GOPROXY)"
if (cd "$work" && go mod init krakend-build >/dev/null 2>&1 &&
    go install -trimpath "github.com/krakend/krakend-ce/v2/cmd/krakend-ce@$KRAKEND_CE_VERSION") \
    >"$work/ce.log" 2>&1; then
  cp "$(go env GOPATH)/bin/krakend-ce" "$ce_bin"
  echo "KRAKEND=$ce_bin"
  exit 0
fi
echo "KrakenD CE is not available here: $(grep -m1 -E '403|error|not' "$work/ce.log" || tail -n1 "$work/ce.log")"

# 2. A gateway on Lura, KrakenD's engine.
echo "building a Lura $LURA_VERSION gateway instead (same config parser, router and proxy)"
mkdir "$work/lura"
lura_module "$work/lura"
(cd "$work/lura" && CGO_ENABLED=0 go build -trimpath -o "$lura_bin.tmp" .) \
  || die "building the Lura gateway failed (see the go output above)"
mv "$lura_bin.tmp" "$lura_bin"
echo "KRAKEND=$lura_bin"
