#!/usr/bin/env bash
# Builds the pinned nomad or nomad-pack (tools/env.sh) from the Go module proxy into the tool cache,
# keyed by version; a second run reuses the binary and says so. Nomad is built with cgo (so the exec
# driver exists) and the `ui` tag (its web UI ships in the module as generated bindata), as its
# release builds are. Prints NOMAD=<path> or NOMAD_PACK=<path> on its last line.
#
#   tools/build-nomad.sh nomad|nomad-pack
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "$0")/env.sh"

tool="${1:-}"
case "$tool" in nomad | nomad-pack) out=$(pinned_path "$tool") ;; *) die "usage: tools/build-nomad.sh nomad|nomad-pack" ;; esac
var=$(tr 'a-z-' 'A-Z_' <<<"$tool")
mkdir -p "$BIN"
if [ -x "$out" ]; then
  echo "$tool: cached at $out (nothing to do)" >&2
  echo "$var=$out"
  exit 0
fi
command -v go >/dev/null || die "go not found: install Go 1.25.8 or newer to build $tool"

if [ "$tool" = nomad ]; then
  command -v gcc >/dev/null || die "gcc not found (apt-get install gcc): nomad is built with cgo so that the exec driver exists"
  module=github.com/hashicorp/nomad version=$NOMAD_VERSION
  cgo=1 tags=ui ldflags="-X github.com/hashicorp/nomad/version.GitCommit=$NOMAD_COMMIT"
else
  module=github.com/hashicorp/nomad-pack version=$NOMAD_PACK_VERSION
  pkg=github.com/hashicorp/nomad-pack/internal/pkg/version
  cgo=0 tags="" ldflags="-X $pkg.GitDescribe=v$NOMAD_PACK_VERSION -X $pkg.GitCommit=$NOMAD_PACK_COMMIT"
fi
echo "$tool $version: building from the Go module proxy..." >&2
dir=$(go_module_copy "$module" "v$version")
trap 'rm -rf "$dir"' EXIT
cd "$dir"
go mod edit -replace "github.com/hashicorp/nomad/api=github.com/hashicorp/nomad/api@$NOMAD_API_VERSION"
CGO_ENABLED=$cgo GOFLAGS=-mod=mod go build -trimpath -tags "$tags" -o "$out.tmp" -ldflags "-s -w $ldflags" .
if [ "$tool" = nomad ]; then
  # The UI must be in: the bindata file exists only under the ui tag.
  go list -tags "$tags" -f '{{join .GoFiles " "}}' ./command/agent | grep -qw bindata_assetfs.go \
    || die "nomad was built without its web UI (command/agent/bindata_assetfs.go not compiled)"
fi
mv "$out.tmp" "$out"
echo "$var=$out"
