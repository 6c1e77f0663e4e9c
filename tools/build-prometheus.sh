#!/usr/bin/env bash
# Builds upstream promtool and prometheus (the 3.5 LTS pinned in tools/env.sh) from the Go module proxy
# into the tool cache, because Debian's prometheus package is built without the consul and nomad
# service discovery the prometheus pack uses: its promtool rejects consul_sd_configs and
# nomad_sd_configs, and its server cannot discover anything in Nomad. Only the discovery plugins
# the pack uses (consul, nomad, dns; file and http are always in) are compiled in, to keep the
# build small. A second run reuses the binaries and says so. Prints PROMTOOL=... PROMETHEUS=...
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "$0")/env.sh"

VERSION=$PROMETHEUS_VERSION
MODULE_VERSION=$PROMETHEUS_MODULE_VERSION

BIN="$TOOLS_CACHE/bin"
PROMTOOL_OUT="$BIN/promtool-$VERSION"
PROMETHEUS_OUT="$BIN/prometheus-$VERSION"
mkdir -p "$BIN"

if [ -x "$PROMTOOL_OUT" ] && [ -x "$PROMETHEUS_OUT" ]; then
  echo "prometheus $VERSION: cached at $BIN (nothing to do)" >&2
else
  command -v go >/dev/null || { echo "build-prometheus: go not found (https://go.dev/dl)" >&2; exit 1; }
  echo "prometheus $VERSION: building promtool and prometheus from the Go module proxy (several minutes)..." >&2
  dir=$(go_module_copy github.com/prometheus/prometheus "$MODULE_VERSION")
  trap 'rm -rf "$dir"' EXIT
  cat >"$dir/plugins/plugins.go" <<'GO'
// Reduced plugin list for the prometheus pack's tests: the discovery it renders.
package plugins

import (
	_ "github.com/prometheus/prometheus/discovery/consul" // Register consul plugin.
	_ "github.com/prometheus/prometheus/discovery/dns"    // Register dns plugin.
	_ "github.com/prometheus/prometheus/discovery/nomad"  // Register nomad plugin.
)
GO
  ldflags="-s -w -X github.com/prometheus/common/version.Version=$VERSION -X github.com/prometheus/common/version.Branch=module-$MODULE_VERSION"
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$PROMTOOL_OUT.tmp" ./cmd/promtool)
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$PROMETHEUS_OUT.tmp" ./cmd/prometheus)
  mv "$PROMTOOL_OUT.tmp" "$PROMTOOL_OUT"
  mv "$PROMETHEUS_OUT.tmp" "$PROMETHEUS_OUT"
fi
echo "PROMTOOL=$PROMTOOL_OUT"
echo "PROMETHEUS=$PROMETHEUS_OUT"
