# Sourced by the scripts in tools/: the repository root, the pinned tool paths (overridable with
# NOMAD / NOMAD_PACK) and small helpers shared by every script.
# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source this file
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/nomad-rust-observability"
NOMAD="${NOMAD:-$TOOLS_CACHE/bin/nomad-1.11.3}"
NOMAD_PACK="${NOMAD_PACK:-$TOOLS_CACHE/bin/nomad-pack-0.4.2}"
export NOMAD NOMAD_PACK

# Pinned versions (the only place they are written).
PROMETHEUS_VERSION=3.5.1
CONSUL_VERSION=1.20.6

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

# free_port: a TCP port on 127.0.0.1 that nothing listens on at this moment (the kernel's pick).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

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
