#!/usr/bin/env bash
# Builds upstream node_exporter (NODE_EXPORTER_VERSION in tools/env.sh) from the Go module proxy
# into the tool cache, for the node_exporter pack under raw_exec in `make up` and the e2e. A second
# run reuses the binary and says so. Prints NODE_EXPORTER=...
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "$0")/env.sh"

OUT=$(pinned_path node_exporter)
mkdir -p "$BIN"

if [ -x "$OUT" ]; then
  echo "node_exporter $NODE_EXPORTER_VERSION: cached at $OUT (nothing to do)" >&2
else
  command -v go >/dev/null || die "go not found (https://go.dev/dl): needed to build node_exporter"
  echo "node_exporter $NODE_EXPORTER_VERSION: building from the Go module proxy (a few minutes)..." >&2
  dir=$(go_module_copy github.com/prometheus/node_exporter "v$NODE_EXPORTER_VERSION")
  trap 'rm -rf "$dir"' EXIT
  ldflags="-s -w -X github.com/prometheus/common/version.Version=$NODE_EXPORTER_VERSION -X github.com/prometheus/common/version.Branch=module-v$NODE_EXPORTER_VERSION"
  # Upstream's release builds are static (CGO_ENABLED=0) too.
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$OUT.tmp" .)
  mv "$OUT.tmp" "$OUT"
fi
echo "NODE_EXPORTER=$OUT"
