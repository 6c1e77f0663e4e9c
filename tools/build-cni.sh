#!/usr/bin/env bash
# Builds the CNI plugins Nomad's bridge networking calls (bridge, host-local, loopback, portmap,
# firewall) from the Go module github.com/containernetworking/plugins at CNI_PLUGINS_VERSION
# (tools/env.sh) into the tool cache, for the Connect mesh (tools/mesh.sh); reused when present.
# The last line printed is CNI_PATH=<directory of the plugins>.
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "$0")/env.sh"

out="$TOOLS_CACHE/cni-plugins-$CNI_PLUGINS_VERSION"
plugins=(bridge host-local loopback portmap firewall)
missing=0
for p in "${plugins[@]}"; do [ -x "$out/$p" ] || missing=1; done
if [ $missing = 0 ]; then
  echo "CNI plugins $CNI_PLUGINS_VERSION: cached at $out (nothing to do)" >&2
  echo "CNI_PATH=$out"
  exit 0
fi
command -v go >/dev/null || die "go not found: install Go to build the CNI plugins"
echo "CNI plugins $CNI_PLUGINS_VERSION: building ${plugins[*]} from the Go module proxy" >&2
dir=$(go_module_copy github.com/containernetworking/plugins "$CNI_PLUGINS_VERSION")
trap 'rm -rf "$dir"' EXIT
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
(cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 go build -trimpath -ldflags "-s -w" -o "$out.tmp/" \
  ./plugins/main/bridge ./plugins/ipam/host-local ./plugins/main/loopback ./plugins/meta/portmap ./plugins/meta/firewall) \
  || die "building the CNI plugins failed (see above)"
rm -rf "$out"
mv "$out.tmp" "$out"
echo "CNI_PATH=$out"
