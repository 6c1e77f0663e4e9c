#!/usr/bin/env bash
# Builds upstream promtool and prometheus (PROMETHEUS_VERSION of tools/env.sh, an LTS release) from
# the Go module proxy into the tool cache, with the web UI embedded as Prometheus' release build
# embeds it, because Debian's prometheus package is built without the consul and nomad service
# discovery the prometheus pack uses. The module zip carries the UI's sources and npm lock file but
# not the built assets: they are built here with npm (`npm ci`, the UI's own build scripts), gzipped
# by Prometheus' scripts/compress_assets.sh and compiled in with the `builtinassets` tag. Only the
# default (Mantine) UI is built; the old React UI of --enable-feature=old-ui is left out. Only the
# discovery plugins the pack uses (tools/go/prometheus-plugins/plugins.go) are compiled in. The
# build fails unless the new binary serves its UI. A second run reuses the binaries and says so.
# Prints PROMTOOL=... PROMETHEUS=... on the last lines.
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "$0")/env.sh"

VERSION=$PROMETHEUS_VERSION
MODULE_VERSION=$PROMETHEUS_MODULE_VERSION

BIN="$TOOLS_CACHE/bin"
PROMTOOL_OUT="$BIN/promtool-$VERSION"
PROMETHEUS_OUT="$BIN/prometheus-$VERSION"
mkdir -p "$BIN"

# step WHAT EXPECTED COMMAND...: runs one long step with a progress line before and its duration after.
step() {
  local what="$1" expected="$2" start=$SECONDS
  shift 2
  echo "prometheus $VERSION: $what (about $expected)..." >&2
  "$@" >&2 || die "prometheus $VERSION: $what failed (output above)"
  echo "prometheus $VERSION: $what done in $((SECONDS - start))s" >&2
}

# npm ci installs exactly what the UI's package-lock.json names.
npm_ci() { (cd web/ui && nice -n 10 npm ci --no-audit --no-fund); }

# The codemirror/lezer modules first (the UI imports them), then the Mantine UI, moved where
# compress_assets.sh and the embed expect it, as web/ui/build_ui.sh does.
build_ui() {
  (cd web/ui && nice -n 10 npm run build:module && nice -n 10 npm run build -w @prometheus-io/mantine-ui \
    && rm -rf static/mantine-ui && mkdir -p static && mv mantine-ui/dist static/mantine-ui)
}

go_build() {
  local out="$1" pkg="$2"
  local ldflags="-s -w -X github.com/prometheus/common/version.Version=$VERSION -X github.com/prometheus/common/version.Branch=module-$MODULE_VERSION"
  CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 go build -trimpath -tags netgo,builtinassets \
    -ldflags "$ldflags" -o "$out" "$pkg"
}

# A throwaway server on a free loopback port, with an empty scrape configuration.
check_ui() {
  local tmp port
  tmp=$(mktemp -d)
  port=$(free_port)
  : >"$tmp/prometheus.yml"
  check_ui_served "prometheus $VERSION" "http://127.0.0.1:$port/query" GLOBAL_CONSOLES_LINK \
    "$1" --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/data" \
    --web.listen-address="127.0.0.1:$port"
  rm -rf "$tmp"
}

if [ -x "$PROMTOOL_OUT" ] && [ -x "$PROMETHEUS_OUT" ]; then
  echo "prometheus $VERSION: cached at $BIN (nothing to do)" >&2
else
  command -v go >/dev/null || die "build-prometheus: go not found (https://go.dev/dl)"
  command -v npm >/dev/null || die "build-prometheus: npm not found: the web UI is built with Node.js 20+ and npm (apt-get install nodejs npm)"
  echo "prometheus $VERSION: building promtool and prometheus (module $MODULE_VERSION) with the web UI" >&2
  dir=$(go_module_copy github.com/prometheus/prometheus "$MODULE_VERSION")
  trap 'rm -rf "$dir" "$PROMTOOL_OUT.$$.tmp" "$PROMETHEUS_OUT.$$.tmp"' EXIT
  cd "$dir"
  cp "$REPO/tools/go/prometheus-plugins/plugins.go" plugins/plugins.go
  export npm_config_cache="$TOOLS_CACHE/npm"
  step "npm ci of the web UI's dependencies" "1-2 min" npm_ci
  step "building the web UI with npm" "3-5 min" build_ui
  step "compressing the UI assets for embedding" "seconds" bash scripts/compress_assets.sh
  step "go build of promtool" "2-4 min" go_build "$PROMTOOL_OUT.$$.tmp" ./cmd/promtool
  step "go build of prometheus" "3-6 min" go_build "$PROMETHEUS_OUT.$$.tmp" ./cmd/prometheus
  check_ui "$PROMETHEUS_OUT.$$.tmp"
  mv "$PROMTOOL_OUT.$$.tmp" "$PROMTOOL_OUT"
  mv "$PROMETHEUS_OUT.$$.tmp" "$PROMETHEUS_OUT"
fi
echo "PROMTOOL=$PROMTOOL_OUT"
echo "PROMETHEUS=$PROMETHEUS_OUT"
