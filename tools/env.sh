# Sourced by the scripts in tools/: the repository root, the pinned tool paths (overridable with
# NOMAD / NOMAD_PACK) and small helpers shared by every script.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/nomad-rust-observability"
NOMAD="${NOMAD:-$TOOLS_CACHE/bin/nomad-1.11.3}"
NOMAD_PACK="${NOMAD_PACK:-$TOOLS_CACHE/bin/nomad-pack-0.4.2}"
export NOMAD NOMAD_PACK
# Alerting and host metrics (tools/build-alertmanager.sh, tools/build-node-exporter.sh): Go module versions.
ALERTMANAGER_VERSION=0.35.0
NODE_EXPORTER_VERSION=1.12.1

die() { echo "error: $*" >&2; exit 1; }

# go_module_copy MODULE VERSION: downloads MODULE@VERSION through the Go module proxy and prints
# the path of a writable copy under the tool cache (the module cache is read-only). The caller
# removes it when done.
go_module_copy() {
  local dir src
  mkdir -p "$TOOLS_CACHE"
  dir=$(mktemp -d "$TOOLS_CACHE/src.XXXXXX")
  src=$(cd "$dir" && GOFLAGS=-mod=mod go mod download -json "$1@$2" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -d "$src" ] || { rm -rf "$dir"; die "could not download $1@$2 from the Go module proxy"; }
  cp -r "$src/." "$dir/" && chmod -R u+w "$dir"
  echo "$dir"
}

# Fails with a one-line hint when a pinned tool is missing.
require_tools() {
  [ -x "$NOMAD" ] || die "nomad not found at $NOMAD: run 'make tools' (or set NOMAD=/path/to/nomad)"
  [ -x "$NOMAD_PACK" ] || die "nomad-pack not found at $NOMAD_PACK: run 'make tools' (or set NOMAD_PACK=/path/to/nomad-pack)"
}
