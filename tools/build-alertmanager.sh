#!/usr/bin/env bash
# Builds upstream alertmanager and amtool (ALERTMANAGER_VERSION in tools/env.sh) from the Go module
# proxy into the tool cache: amtool checks the alertmanager pack's rendered configuration
# (`amtool check-config`), alertmanager runs in `make up` and the e2e. A second run reuses the
# binaries and says so. Prints AMTOOL=... ALERTMANAGER=...
# The module zip has no web UI (ui/app/dist is built with Elm and npm by upstream's Makefile and is
# not in the module): the binary gets a one-page notice in its place, so / says the UI is not
# built in; the API (/api/v2, what Prometheus and amtool use) is complete.
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "$0")/env.sh"

AMTOOL_OUT=$(pinned_path amtool)
ALERTMANAGER_OUT=$(pinned_path alertmanager)
mkdir -p "$BIN"

if [ -x "$AMTOOL_OUT" ] && [ -x "$ALERTMANAGER_OUT" ]; then
  echo "alertmanager $ALERTMANAGER_VERSION: cached at $BIN (nothing to do)" >&2
else
  command -v go >/dev/null || die "go not found (https://go.dev/dl): needed to build alertmanager"
  echo "alertmanager $ALERTMANAGER_VERSION: building alertmanager and amtool from the Go module proxy (a few minutes)..." >&2
  dir=$(go_module_copy github.com/prometheus/alertmanager "v$ALERTMANAGER_VERSION")
  trap 'rm -rf "$dir"' EXIT
  # Alertmanager serves its UI files gzipped only (index.html.gz).
  for ui in elm mantine; do
    mkdir -p "$dir/ui/app/dist/$ui"
    printf '<!doctype html><title>Alertmanager</title><p>This Alertmanager %s was built from its Go module, which has no web UI. The API is at <a href="/api/v2/status">/api/v2</a>.</p>\n' \
      "$ALERTMANAGER_VERSION" | gzip -9n >"$dir/ui/app/dist/$ui/index.html.gz"
  done
  ldflags="-s -w -X github.com/prometheus/common/version.Version=$ALERTMANAGER_VERSION -X github.com/prometheus/common/version.Branch=module-v$ALERTMANAGER_VERSION"
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$AMTOOL_OUT.tmp" ./cmd/amtool)
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$ALERTMANAGER_OUT.tmp" ./cmd/alertmanager)
  mv "$AMTOOL_OUT.tmp" "$AMTOOL_OUT"
  mv "$ALERTMANAGER_OUT.tmp" "$ALERTMANAGER_OUT"
fi
echo "AMTOOL=$AMTOOL_OUT"
echo "ALERTMANAGER=$ALERTMANAGER_OUT"
