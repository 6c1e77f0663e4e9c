# shellcheck shell=bash
# Sourced by tools/mesh.sh: podman's Docker-compatible API for Nomad's docker driver, on sockets in a
# directory of the caller (never the system's /run/podman/podman.sock), over the project's podman
# store (tools/container-env.sh). Nomad is given DIR/docker.sock: the podman-sandboxkey proxy
# (tools/go/podman-sandboxkey/main.go, test infrastructure for a podman 4.3 bug described there) in
# front of `podman system service` on DIR/podman.sock.
#   podman_api_start DIR   starts both (reused when running), waits until the API answers
#   podman_api_stop DIR    stops both by their PIDs
#   podman_api_pids DIR    their PIDs

# shellcheck source=tools/container-env.sh
source "$REPO/tools/container-env.sh"

# _pid_of FILE PATTERN: the PID in FILE when that process is alive and its command line has PATTERN.
_podman_api_pid_of() {
  local pid
  [ -f "$1" ] || return 1
  pid=$(cat "$1")
  [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$2" || return 1
  echo "$pid"
}

podman_api_pids() {
  _podman_api_pid_of "$1/podman-api.pid" "system service" || true
  _podman_api_pid_of "$1/podman-sandboxkey.pid" "-listen $1/docker.sock" || true
}

# _podman_api_wait SOCKET WHAT LOG: waits (bounded) until GET /_ping on SOCKET answers OK.
_podman_api_wait() {
  for _ in $(seq 1 60); do
    [ "$(curl -s --max-time 2 --unix-socket "$1" http://podman/_ping 2>/dev/null)" = OK ] && return 0
    sleep 0.5
  done
  tail -n 20 "$3" >&2
  die "$2 did not answer on $1 within 30s (log: $3)"
}

podman_api_start() {
  local dir="$1"
  mkdir -p "$dir"
  container_engine_init
  [ "$ENGINE" = podman ] || die "Nomad's docker driver runs on podman's API here; podman is needed (apt-get install podman runc)"
  if ! _podman_api_pid_of "$dir/podman-api.pid" "system service" >/dev/null; then
    rm -f "$dir/podman.sock"
    (cd "$dir" && exec setsid "${CTR[@]}" system service --time=0 "unix://$dir/podman.sock" \
      >"$dir/podman-api.log" 2>&1 </dev/null) &
    echo $! >"$dir/podman-api.pid"
  fi
  _podman_api_wait "$dir/podman.sock" "podman system service" "$dir/podman-api.log"
  if ! _podman_api_pid_of "$dir/podman-sandboxkey.pid" "-listen $dir/docker.sock" >/dev/null; then
    (cd "$REPO/tools/go/podman-sandboxkey" && go build -o "$dir/podman-sandboxkey" .) \
      || die "building tools/go/podman-sandboxkey failed"
    (cd "$dir" && exec setsid "$dir/podman-sandboxkey" -listen "$dir/docker.sock" -upstream "$dir/podman.sock" \
      >"$dir/podman-sandboxkey.log" 2>&1 </dev/null) &
    echo $! >"$dir/podman-sandboxkey.pid"
  fi
  _podman_api_wait "$dir/docker.sock" "the podman-sandboxkey proxy" "$dir/podman-sandboxkey.log"
}

podman_api_stop() {
  local dir="$1" pid
  for pid in $(podman_api_pids "$dir"); do
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do
      [ -d "/proc/$pid" ] || break
      sleep 0.5
    done
    [ ! -d "/proc/$pid" ] || kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$dir/podman-api.pid" "$dir/podman-sandboxkey.pid" "$dir/podman.sock" "$dir/docker.sock"
}
