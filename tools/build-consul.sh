#!/usr/bin/env bash
# Builds the pinned Consul (tools/env.sh) from the Go module proxy for the e2e Consul lane
# (tests/e2e/e2e.sh --consul), cached like the pinned Nomad in the tool cache and reused when present.
# Consul's go.mod replaces its api/sdk/proto-public/envoyextensions/troubleshoot submodules with ./
# paths that the module zip lacks: the copy uses the published versions its go.mod requires
# instead. The web UI comes built in the module zip (agent/uiserver/dist) and is always embedded;
# the build fails unless the new binary serves it. The last line printed is CONSUL=<path>. Never
# commit the binary.
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "$0")/env.sh"
out=$(pinned_path consul)
mkdir -p "$BIN"
if [ -x "$out" ]; then
  echo "consul $CONSUL_VERSION: cached at $out (nothing to do)" >&2
  echo "CONSUL=$out"
  exit 0
fi
command -v go >/dev/null || { echo "error: go not found: install Go to build Consul" >&2; exit 1; }
echo "consul $CONSUL_VERSION: building from the Go module proxy (several minutes)..." >&2
dir=$(go_module_copy github.com/hashicorp/consul "v$CONSUL_VERSION")
trap 'rm -rf "$dir"' EXIT
cd "$dir"
for m in api envoyextensions proto-public sdk troubleshoot; do
  go mod edit -dropreplace "github.com/hashicorp/consul/$m"
done
[ -f agent/uiserver/dist/index.html ] || die "consul $CONSUL_VERSION: the module has no built web UI (agent/uiserver/dist/index.html)"
CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 19 go build -trimpath -o "$out.$$.tmp" \
  -ldflags "-s -w -X github.com/hashicorp/consul/version.GitCommit=v$CONSUL_VERSION" .
# A throwaway dev agent on free loopback ports, its UI on.
tmp=$(mktemp -d)
trap 'rm -rf "$dir" "$tmp" "$out.$$.tmp"' EXIT
http=$(free_port)
cat >"$tmp/consul.hcl" <<EOF
data_dir    = "$tmp/data"
bind_addr   = "127.0.0.1"
client_addr = "127.0.0.1"
ports {
  http     = $http
  server   = $(free_port)
  serf_lan = $(free_port)
  serf_wan = -1
  grpc     = -1
  grpc_tls = -1
  dns      = -1
}
ui_config {
  enabled = true
}
EOF
check_ui_served "consul $CONSUL_VERSION" "http://127.0.0.1:$http/ui/" consul-ui/config/environment \
  "$out.$$.tmp" agent -dev -config-file "$tmp/consul.hcl"
mv "$out.$$.tmp" "$out"
echo "CONSUL=$out"
