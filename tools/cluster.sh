#!/usr/bin/env bash
# A real local cluster in one command. `up` first runs tools/setup.sh (Debian packages, the pinned
# tools unless supported ones are on PATH; a line per step), builds the service (release), starts a Nomad dev agent
# bound to 127.0.0.1 (raw_exec on, state and log under build/cluster/, PID recorded), waits for a
# leader and a ready client, deploys the observability_stack pack with one `nomad-pack run` (from
# this repository added as a local registry; PACKS_FROM=path: packs/ of the working tree): every
# component this machine can run with its tests/packs/<component>/e2e.hcl values under its label,
# the others switched off (<component>.enabled=false, said in the log), then waits for each job
# and prints where everything answers. A second `up`
# redeploys on the running agent; a job that failed in an earlier run is purged and deployed anew.
# `down` destroys the packs, stops the agent by its PID and checks that nothing it started is left.
# `status` prints the addresses again. `agent-up` / `agent-down` start and stop only the agent (no
# set-up, no packs): the packs' on-Nomad tests use them through tests/lib/nomad_dev.py, so there is
# one dev-agent implementation.
#
# Environment (all optional): CLUSTER_DIR (default build/cluster), NOMAD_HTTP_PORT/NOMAD_RPC_PORT/
# NOMAD_SERF_PORT (4646/4647/4648), MIN_DYNAMIC_PORT/MAX_DYNAMIC_PORT (task ports, 20000/32000),
# AGENT_TIMEOUT (s, 60), DEPLOY_TIMEOUT (s, 180),
# PROMETHEUS_PORT (host port of Prometheus; 0 = dynamic, as tests/e2e/e2e.sh uses),
# SKIP_BUILD=1 (use the existing service binary), SKIP_SETUP=1 (tools/setup.sh already ran),
# KRAKEND=/path/to/krakend (else
# tools/build-krakend.sh is asked, when it exists), NO_KRAKEND=1 (never deploy the gateway),
# ENVOY=/path/to/envoy (the gateway's load balancer; else as tools/env.sh finds it),
# CONSUL_HTTP_PORT + CONSUL=/path/to/consul (the Consul lane: a Consul dev agent beside Nomad, the
# packs with service_provider = "consul"), MESH=1 (the packs' default mode, Consul Connect on the
# docker driver: tools/mesh.sh; remembered in CLUSTER_DIR until `down`).
# tests/e2e/e2e.sh sources this file (CLUSTER_LIB=1) to reuse its functions.
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

CLUSTER_DIR="${CLUSTER_DIR:-$REPO/build/cluster}"
HTTP_PORT="${NOMAD_HTTP_PORT:-4646}"
RPC_PORT="${NOMAD_RPC_PORT:-4647}"
SERF_PORT="${NOMAD_SERF_PORT:-4648}"
# Dynamic ports of the tasks; tests/e2e/e2e.sh takes another range so that it never collides with
# the tasks of a `make up` agent on the same machine.
MIN_DYNAMIC_PORT="${MIN_DYNAMIC_PORT:-20000}"
MAX_DYNAMIC_PORT="${MAX_DYNAMIC_PORT:-32000}"
AGENT_TIMEOUT="${AGENT_TIMEOUT:-60}"
DEPLOY_TIMEOUT="${DEPLOY_TIMEOUT:-180}"
SERVICE_BIN="$REPO/service/target/release/prototype-service"
# Consul lane: with CONSUL_HTTP_PORT set, a Consul dev agent (binary CONSUL) runs beside Nomad on
# loopback and the packs register and discover through it (service_provider = "consul").
CONSUL_HTTP_PORT="${CONSUL_HTTP_PORT:-}"
CONSUL_PID_FILE="$CLUSTER_DIR/consul.pid"
CONSUL_LOG="$CLUSTER_DIR/consul.log"
# --- mesh hook: MESH=1 (or a mesh brought up earlier in CLUSTER_DIR) adds tools/mesh.sh.
[ -f "$CLUSTER_DIR/mesh.env" ] && MESH=1
MESH="${MESH:-0}"
AGENT_PATH_PREFIX=""
# shellcheck source=tools/mesh.sh
[ "$MESH" != 1 ] || source "$REPO/tools/mesh.sh"
# Where nomad-pack takes the packs from: "registry" (default in a git checkout: `nomad-pack
# registry add` of this repository, i.e. the committed packs, as users get them; its cache lives
# in CLUSTER_DIR, not in ~/.cache) or "path" (packs/<name> of the working tree).
if git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1; then PACKS_FROM="${PACKS_FROM:-registry}"; else PACKS_FROM="${PACKS_FROM:-path}"; fi
REGISTRY=rust_observability
NP_CACHE="$CLUSTER_DIR/nomad-pack-cache"
PID_FILE="$CLUSTER_DIR/agent.pid"
AGENT_LOG="$CLUSTER_DIR/agent.log"
DEPLOYED_FILE="$CLUSTER_DIR/deployed-packs"
export NOMAD_ADDR="http://127.0.0.1:$HTTP_PORT"
# nomad-pack and nomad must never reach for anything but this agent.
unset NOMAD_TOKEN NOMAD_NAMESPACE NOMAD_REGION

log() { echo "[$(date -u +%H:%M:%S)] $*"; }

# The last lines of the agent log, for every failure that involves the agent (tests/e2e/e2e.sh asks
# for more lines).
# shellcheck disable=SC2120
agent_log_tail() {
  [ -f "$AGENT_LOG" ] || return 0
  echo "--- last lines of $AGENT_LOG ---" >&2
  tail -n "${1:-25}" "$AGENT_LOG" >&2
  echo "---" >&2
}

die_agent() {
  echo "error: $*" >&2
  agent_log_tail 25
  exit 1
}

api() { curl -fsS --max-time 5 "$NOMAD_ADDR/v1/$1"; }

# PID of our agent when it is running (the PID file names a live nomad agent using our config).
agent_pid() {
  local pid
  [ -f "$PID_FILE" ] || return 1
  pid=$(cat "$PID_FILE")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "agent -dev -config $CLUSTER_DIR/agent.hcl" || return 1
  echo "$pid"
}

# PIDs of every process this cluster started: the agent, its plugins (logmon, executors) and the
# tasks, recognised by a working directory or a command line inside CLUSTER_DIR.
cluster_pids() {
  local p cwd
  local -a cmd
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    # Never this script nor its subshells; no helper process is spawned per PID, so none of them
    # can match its own command line.
    [ "$p" = "$$" ] || [ "$p" = "$BASHPID" ] && continue
    cwd=$(readlink "/proc/$p/cwd" 2>/dev/null) || continue
    cmd=()
    mapfile -d '' -t cmd <"/proc/$p/cmdline" 2>/dev/null || true
    if [[ "$cwd" == "$CLUSTER_DIR" || "$cwd" == "$CLUSTER_DIR"/* || "${cmd[*]}" == *"$CLUSTER_DIR/"* ]]; then
      echo "$p"
    fi
  done
}

# Fails with a one-line reason when a port the agent needs is already taken on this machine.
check_port_free() {
  local port="$1" what="$2" knob="$3" owner
  if ss -Hltn "sport = :$port" | grep -q .; then
    owner=$(ss -Hltnp "sport = :$port" | sed -n 's/.*users:((\("[^"]*",pid=[0-9]*\).*/\1/p' | head -1)
    die "port $port ($what) on this machine is already taken${owner:+ by $owner}: stop it, or set $knob to a free port"
  fi
}

write_agent_config() {
  mkdir -p "$CLUSTER_DIR/data"
  cat >"$CLUSTER_DIR/agent.hcl" <<EOF
# Written by tools/cluster.sh: a single-node dev agent, server and client, on loopback only.
data_dir             = "$CLUSTER_DIR/data"
bind_addr            = "127.0.0.1"
log_level            = "INFO"
disable_update_check = true

ports {
  http = $HTTP_PORT
  rpc  = $RPC_PORT
  serf = $SERF_PORT
}

client {
  # Tasks get addresses on the loopback interface; host ports bind to 127.0.0.1, never 0.0.0.0.
  network_interface                  = "lo"
  bind_wildcard_default_host_network = false
  min_dynamic_port                   = $MIN_DYNAMIC_PORT
  max_dynamic_port                   = $MAX_DYNAMIC_PORT

  options = {
    # The cloud fingerprinters probe metadata services that a laptop or CI runner does not have;
    # env_aws also aborts the client when AWS_CA_BUNDLE is set (as on this machine).
    "fingerprint.denylist" = "env_aws,env_gce,env_azure,env_digitalocean"
  }
}

plugin "raw_exec" {
  config {
    enabled = true
  }
}

# The agent's own metrics for Prometheus (/v1/metrics?format=prometheus): scheduler, Raft, jobs,
# and per client the host and every allocation (the Nomad cluster dashboard).
telemetry {
  prometheus_metrics         = true
  disable_hostname           = true # else the gauges' names start with the host name
  publish_node_metrics       = true
  publish_allocation_metrics = true
  collection_interval        = "2s"
}
EOF
  if [ -n "$CONSUL_HTTP_PORT" ]; then
    cat >>"$CLUSTER_DIR/agent.hcl" <<EOF

consul {
  address      = "127.0.0.1:$CONSUL_HTTP_PORT"
  grpc_address = "127.0.0.1:$((CONSUL_HTTP_PORT + 4))"
}
EOF
  fi
  # --- mesh hook
  [ "$MESH" != 1 ] || mesh_agent_config >"$CLUSTER_DIR/agent-mesh.hcl"
}

consul_pid() {
  local pid
  [ -f "$CONSUL_PID_FILE" ] || return 1
  pid=$(cat "$CONSUL_PID_FILE")
  [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "agent -dev -config-file $CLUSTER_DIR/consul.hcl" || return 1
  echo "$pid"
}

# A Consul dev agent on loopback (HTTP on CONSUL_HTTP_PORT, its other ports next to it, DNS off).
start_consul() {
  local pid deadline p
  if [ -z "${CONSUL:-}" ] || [ ! -x "$CONSUL" ]; then
    die "the Consul lane needs CONSUL=/path/to/consul (tools/build-consul.sh builds one)"
  fi
  if pid=$(consul_pid); then
    log "consul already running (PID $pid): reusing it"
    return 0
  fi
  for p in "$CONSUL_HTTP_PORT" $((CONSUL_HTTP_PORT + 1)) $((CONSUL_HTTP_PORT + 2)) $((CONSUL_HTTP_PORT + 3)) $((CONSUL_HTTP_PORT + 4)); do
    check_port_free "$p" "Consul, HTTP port + 0..4" CONSUL_HTTP_PORT
  done
  rm -rf "$CLUSTER_DIR/consul-data"
  cat >"$CLUSTER_DIR/consul.hcl" <<EOF
# Written by tools/cluster.sh: a Consul dev agent on loopback for the Consul lane.
data_dir       = "$CLUSTER_DIR/consul-data"
bind_addr      = "127.0.0.1"
client_addr    = "${CONSUL_CLIENT_ADDR:-127.0.0.1}"
advertise_addr = "127.0.0.1"
log_level      = "INFO"
ports {
  http     = $CONSUL_HTTP_PORT
  server   = $((CONSUL_HTTP_PORT + 1))
  serf_lan = $((CONSUL_HTTP_PORT + 2))
  serf_wan = $((CONSUL_HTTP_PORT + 3))
  grpc     = $((CONSUL_HTTP_PORT + 4))
  grpc_tls = -1
  dns      = -1
}
ui_config {
  enabled = true
}
EOF
  : >"$CONSUL_LOG"
  log "starting Consul dev agent ($("$CONSUL" version | head -1)) on http://127.0.0.1:$CONSUL_HTTP_PORT"
  (cd "$CLUSTER_DIR" && exec setsid "$CONSUL" agent -dev -config-file "$CLUSTER_DIR/consul.hcl" \
    >>"$CONSUL_LOG" 2>&1 </dev/null) &
  echo $! >"$CONSUL_PID_FILE"
  deadline=$((SECONDS + AGENT_TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    # Whether the process lives, not consul_pid: until the subshell has exec'd consul, its
    # command line is still this script's (a cold make test lost that race once).
    running "$(cat "$CONSUL_PID_FILE")" || { tail -n 20 "$CONSUL_LOG" >&2; die "the Consul agent exited while starting"; }
    if [ -n "$(curl -fsS --max-time 2 "http://127.0.0.1:$CONSUL_HTTP_PORT/v1/status/leader" 2>/dev/null | tr -d '"')" ]; then
      log "consul ready: leader elected"
      return 0
    fi
    sleep 1
  done
  tail -n 20 "$CONSUL_LOG" >&2
  stop_consul
  die "the Consul agent did not elect a leader within ${AGENT_TIMEOUT}s"
}

stop_consul() {
  local pid
  pid=$(consul_pid) || { rm -f "$CONSUL_PID_FILE"; return 0; }
  log "stopping Consul (PID $pid)"
  kill -INT "$pid"
  for _ in $(seq 1 20); do
    [ -d "/proc/$pid" ] || break
    sleep 1
  done
  [ -d "/proc/$pid" ] && kill -KILL "$pid" 2>/dev/null
  rm -f "$CONSUL_PID_FILE"
}

start_agent() {
  local pid
  require_tools
  if pid=$(agent_pid); then
    log "agent already running (PID $pid, $NOMAD_ADDR): reusing it"
    return 0
  fi
  check_port_free "$HTTP_PORT" "Nomad HTTP" NOMAD_HTTP_PORT
  check_port_free "$RPC_PORT" "Nomad RPC" NOMAD_RPC_PORT
  check_port_free "$SERF_PORT" "Nomad Serf" NOMAD_SERF_PORT
  unmount_leftovers
  rm -rf "$CLUSTER_DIR/data"
  write_agent_config
  : >"$AGENT_LOG"
  log "starting Nomad dev agent ($("$NOMAD" version | head -1)) on $NOMAD_ADDR, log $AGENT_LOG"
  # The agent's working directory is CLUSTER_DIR, so its plugins are recognisable by cluster_pids.
  local extra=()
  [ "$MESH" != 1 ] || extra=(-config "$CLUSTER_DIR/agent-mesh.hcl")
  (cd "$CLUSTER_DIR" && PATH="$AGENT_PATH_PREFIX$PATH" exec setsid "$NOMAD" agent -dev -config "$CLUSTER_DIR/agent.hcl" \
    "${extra[@]}" >>"$AGENT_LOG" 2>&1 </dev/null) &
  echo $! >"$PID_FILE"
  wait_agent_ready
}

# Waits (bounded) for a leader and a ready client node with a healthy raw_exec driver (and docker
# in the mesh).
wait_agent_ready() {
  local deadline=$((SECONDS + AGENT_TIMEOUT)) leader="" node="" drivers='["raw_exec"]'
  [ "$MESH" != 1 ] || drivers='["raw_exec", "docker"]'

  while [ $SECONDS -lt $deadline ]; do
    # The recorded PID is alive (it may still be the shell that is about to exec nomad).
    [ -d "/proc/$(cat "$PID_FILE")" ] || die_agent "the Nomad agent exited while starting (see the log below)"
    leader=$(api status/leader 2>/dev/null | tr -d '"' || true)
    if [ -n "$leader" ]; then
      node=$(api nodes 2>/dev/null | jq -r --argjson d "$drivers" '[.[] | select(.Status == "ready" and ([$d[] as $k | .Drivers[$k].Healthy] | all))][0].ID // empty' || true)
      if [ -n "$node" ]; then
        log "agent ready: leader $leader, client node ${node:0:8} ready, $(jq -r 'join(", ")' <<<"$drivers") healthy"
        return 0
      fi
    fi
    sleep 1
  done
  echo "error: the Nomad agent did not become ready within ${AGENT_TIMEOUT}s (leader: '${leader:-none}', ready node with healthy $drivers: '${node:-none}')" >&2
  agent_log_tail 25
  stop_agent >&2
  exit 1
}

stop_agent() {
  local pid
  if ! pid=$(agent_pid); then
    log "no agent running for $CLUSTER_DIR"
    rm -f "$PID_FILE"
    return 0
  fi
  log "stopping the agent (PID $pid)"
  kill -INT "$pid"
  for _ in $(seq 1 30); do
    [ -d "/proc/$pid" ] || break
    sleep 1
  done
  if [ -d "/proc/$pid" ]; then
    echo "warning: the agent did not stop within 30s after SIGINT; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$PID_FILE"
}

# Kills (by PID) anything this cluster started that is still alive, and says so: a clean stop
# leaves nothing, so anything found here is reported.
reap_leftovers() {
  local pids
  pids=$(cluster_pids | tr '\n' ' ')
  [ -z "${pids// /}" ] && return 0
  echo "warning: processes left behind by the cluster, killing them: $pids" >&2
  # shellcheck disable=SC2086
  ps -o pid,cmd -p "$(echo $pids | tr ' ' ',')" >&2 || true
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  sleep 2
  pids=$(cluster_pids | tr '\n' ' ')
  # shellcheck disable=SC2086
  if [ -n "${pids// /}" ]; then kill -KILL $pids 2>/dev/null || true; fi
  return 1
}

# Nomad mounts a tmpfs on each task's secrets/ and private/ directories; an allocation not yet
# garbage-collected when the agent stops keeps them. Unmount what is left under CLUSTER_DIR.
unmount_leftovers() {
  local m
  { findmnt -rn -o TARGET | grep -F "$CLUSTER_DIR/" || true; } | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "warning: could not unmount $m" >&2
  done
}

build_service() {
  if [ "${SKIP_BUILD:-0}" = 1 ]; then
    log "SKIP_BUILD=1: using the existing service binary"
  else
    [ -f "$REPO/service/Cargo.toml" ] || die "service/Cargo.toml not found: the service is not in this checkout"
    log "building the service (release; incremental)"
    make --no-print-directory -C "$REPO" build >"$CLUSTER_DIR/build.log" 2>&1 \
      || { tail -n 30 "$CLUSTER_DIR/build.log" >&2; die "service build failed (full log: $CLUSTER_DIR/build.log)"; }
  fi
  [ -x "$SERVICE_BIN" ] || die "service binary not found at $SERVICE_BIN: run 'make build'"
}

# Prints the path of a KrakenD binary, or nothing when none can be had.
find_krakend() {
  local out
  [ "${NO_KRAKEND:-0}" = 1 ] && return 0
  if [ -n "${KRAKEND:-}" ]; then
    [ -x "$KRAKEND" ] || die "KRAKEND=$KRAKEND is not an executable file"
    echo "$KRAKEND"
    return 0
  fi
  if command -v krakend >/dev/null 2>&1; then
    command -v krakend
    return 0
  fi
  if [ -x "$REPO/tools/build-krakend.sh" ]; then
    out=$("$REPO/tools/build-krakend.sh" 2>"$CLUSTER_DIR/build-krakend.log" | tail -1) || {
      echo "warning: tools/build-krakend.sh failed (log: $CLUSTER_DIR/build-krakend.log); no gateway" >&2
      return 0
    }
    out=${out#KRAKEND=}
    [ -x "$out" ] && echo "$out"
  fi
  return 0
}

# The nomad-pack arguments of one pack on this cluster: tests/packs/<pack>/e2e.hcl plus the
# paths that depend on where the repository is checked out.
pack_args() {
  local pack="$1"
  if [ "$pack" = "$STACK" ]; then
    shift
    stack_args "$@"
    return
  fi
  # --- mesh hook
  if [ "$MESH" = 1 ]; then
    mesh_pack_args "$@"
    return
  fi
  shift
  local args=(-f "$REPO/tests/packs/$pack/e2e.hcl")
  if [ -n "$CONSUL_HTTP_PORT" ]; then
    # Consul lane: the same var files, registered in and discovered through Consul (no Connect:
    # raw_exec tasks do not join a bridge network, and there is no Envoy here).
    args+=(--var service_provider=consul)
    [ "$pack" = node_exporter ] || args+=(--var connect=false) # host networking, no Connect option
    [ "$pack" != prometheus ] || args+=(--var "consul_address=127.0.0.1:$CONSUL_HTTP_PORT")
  fi
  case "$pack" in
    prototype_service) args+=(--var "binary_path=$SERVICE_BIN") ;;
    prometheus)
      # The pinned upstream Prometheus (or a supported one on PATH): the one the checks use too.
      args+=(--var "nomad_address=$NOMAD_ADDR" --var "binary_path=${PROMETHEUS:-/nonexistent/prometheus}")
      [ -z "${PROMETHEUS_PORT:-}" ] || args+=(--var "port=$PROMETHEUS_PORT")
      ;;
    krakend)
      args+=(--var "binary_path=$(cat "$CLUSTER_DIR/krakend-path" 2>/dev/null || echo /nonexistent/krakend)")
      # The load balancer beside the gateway (on without Connect): the Envoy tools/setup.sh installs.
      args+=(--var "envoy_binary_path=${ENVOY:-/nonexistent/envoy}")
      ;;
    alertmanager) args+=(--var "binary_path=${ALERTMANAGER:-/nonexistent/alertmanager}") ;;
    node_exporter) args+=(--var "binary_path=${NODE_EXPORTER:-/nonexistent/node_exporter}") ;;
  esac
  printf '%s\n' "${args[@]}" "$@"
}

# `nomad-pack <verb>` on one pack of this repository, from the local registry or the working tree.
np() {
  local verb="$1" pack="$2"
  shift 2
  if [ "$PACKS_FROM" = registry ] && [ -d "$NP_CACHE/nomad/packs/$REGISTRY" ]; then
    XDG_CACHE_HOME="$NP_CACHE" "$NOMAD_PACK" "$verb" "$pack" --registry="$REGISTRY" "$@"
  else
    "$NOMAD_PACK" "$verb" "$REPO/packs/$pack" "$@"
  fi
}

# Adds this repository as the nomad-pack registry the cluster deploys from (PACKS_FROM=registry).
add_registry() {
  local out
  case "$PACKS_FROM" in
    path)
      log "packs from the working tree (PACKS_FROM=path)"
      return 0
      ;;
    registry) ;;
    *) die "PACKS_FROM must be registry or path (got '$PACKS_FROM')" ;;
  esac
  if [ -n "$(git -C "$REPO" status --porcelain -- packs 2>/dev/null)" ]; then
    echo "warning: packs/ has uncommitted changes; the registry holds the committed ones (PACKS_FROM=path deploys the working tree)" >&2
  fi
  rm -rf "$NP_CACHE"
  if ! out=$(XDG_CACHE_HOME="$NP_CACHE" "$NOMAD_PACK" registry add "$REGISTRY" "$REPO" 2>&1); then
    echo "$out" >&2
    die "nomad-pack registry add $REGISTRY $REPO failed"
  fi
  log "nomad-pack registry $REGISTRY added from $REPO (commit $(git -C "$REPO" rev-parse --short HEAD))"
}

# A job left failed by an earlier run would not be scheduled anew by an unchanged `nomad-pack
# run`: purge it first, saying so. Failed means dead, or its last deployment failed or was
# cancelled, or an allocation of its current version failed (a job without an update block has no
# deployment; Nomad keeps rescheduling its failed allocations).
purge_if_failed() {
  local job="$1" job_json why=""
  job_json=$(api "job/$job" 2>/dev/null) || return 0
  if [ "$(jq -r .Status <<<"$job_json")" = dead ]; then
    why="dead"
  elif [[ "$(api "job/$job/deployment" 2>/dev/null | jq -r '.Status // "none"' || echo none)" =~ ^(failed|cancelled)$ ]]; then
    why="its last deployment failed"
  elif [ "$(api "job/$job/allocations" 2>/dev/null | jq --argjson v "$(jq .Version <<<"$job_json")" \
    '[.[] | select(.JobVersion == $v and .ClientStatus == "failed")] | length')" != 0 ]; then
    why="an allocation of its version $(jq .Version <<<"$job_json") failed"
  fi
  [ -n "$why" ] || return 0
  log "job $job from an earlier run: $why; purging it to deploy it anew"
  "$NOMAD" job stop -purge -yes "$job" >/dev/null 2>&1 || die_agent "could not purge job $job"
  wait_allocs_stopped
}

# nomad-pack run of one pack, with extra arguments appended (tests/e2e/e2e.sh passes --var overrides).
run_pack() {
  local pack="$1" out job
  shift
  local args
  mapfile -t args < <(pack_args "$pack" "$@")
  for job in $(jobs_of "$pack"); do purge_if_failed "$job"; done
  log "nomad-pack run $pack (from $PACKS_FROM) ${args[*]}"
  # --detach: wait_deployment (bounded, fails fast with task events) watches the deployment, not
  # nomad-pack, whose monitor waits up to the job's progress_deadline.
  if ! out=$(np run "$pack" --detach "${args[@]}" 2>&1); then
    echo "$out" >&2
    die_agent "nomad-pack run $pack failed"
  fi
  grep -qx "$pack" "$DEPLOYED_FILE" 2>/dev/null || echo "$pack" >>"$DEPLOYED_FILE"
}

# The ID of the job a pack deployed (the packs' default job_name is the pack name).
job_of() { echo "$1"; }

# The jobs a pack deploys: its own, or for the stack those of the components switched on.
jobs_of() {
  local c
  if [ "$1" = "$STACK" ]; then
    for c in $(stack_on); do job_of "$c"; done
  else
    job_of "$1"
  fi
}

# --- The stack: `make up` deploys every component through packs/observability_stack.
STACK=observability_stack
# Its components, as its metadata.hcl lists them.
STACK_COMPONENTS=(prototype_service krakend prometheus alertmanager node_exporter grafana efk)

# "component: why" for each component this machine cannot run (switched off in the stack run).
stack_off() {
  # --- mesh hook
  if [ "$MESH" = 1 ]; then
    mesh_stack_off
    return
  fi
  echo "grafana: no Grafana binary on this machine for its raw_exec mode, and no docker for its image"
  echo "efk: no Elasticsearch, Fluentd or Kibana image on this machine, and no docker (the pack runs them with docker only)"
  if [ "${NO_KRAKEND:-0}" = 1 ]; then
    echo "krakend: NO_KRAKEND=1 (the caller does without the gateway)"
  elif [ ! -s "$CLUSTER_DIR/krakend-path" ]; then
    echo "krakend: no KrakenD binary (KRAKEND unset, tools/build-krakend.sh absent or failed)"
  fi
}

# The components deployed on this machine, in the stack's order.
stack_on() {
  local c off
  off=$(stack_off | cut -d: -f1)
  for c in "${STACK_COMPONENTS[@]}"; do
    grep -qx "$c" <<<"$off" || echo "$c"
  done
}

# stack_file COMPONENT FILE: a copy of the component's var file with every top-level variable under
# the component's label (`count = 2` -> `prototype_service.count = 2`), which is how the stack
# takes it; prints the copy's path (CLUSTER_DIR/stack-vars/COMPONENT.FILE). Heredoc bodies and the
# lines inside objects and lists are copied unchanged. The component's file stays the one place
# its values are written.
stack_file() {
  local pack="$1" file="$2" out
  out="$CLUSTER_DIR/stack-vars/$pack.$(basename "$file")"
  mkdir -p "$CLUSTER_DIR/stack-vars"
  awk -v p="$pack." '
    heredoc != "" { print; if ($0 ~ ("^[[:space:]]*" heredoc "[[:space:]]*$")) heredoc = ""; next }
    /^[A-Za-z_][A-Za-z0-9_-]*[[:space:]]*=/ { $0 = p $0 }
    match($0, /<<-?[[:space:]]*[A-Za-z_][A-Za-z0-9_]*[[:space:]]*$/) {
      heredoc = substr($0, RSTART, RLENGTH); sub(/^<<-?[[:space:]]*/, "", heredoc); sub(/[[:space:]]*$/, "", heredoc)
    }
    { print }' "$file" >"$out" || die "could not write $out from $file"
  echo "$out"
}

# The nomad-pack arguments of the stack: each component switched on gets its pack_args (var files
# as prefixed copies, --var k=v as --var component.k=v), each other one <component>.enabled=false.
# Extra arguments (already prefixed: --var prometheus.port=0, -f "$(stack_file ...)") come last.
stack_args() {
  local c args i on
  on=$(stack_on)
  for c in "${STACK_COMPONENTS[@]}"; do
    if ! grep -qx "$c" <<<"$on"; then
      printf '%s\n' --var "$c.enabled=false"
      continue
    fi
    mapfile -t args < <(pack_args "$c")
    for ((i = 0; i < ${#args[@]}; i++)); do
      case "${args[i]}" in
        -f) printf '%s\n' -f "$(stack_file "$c" "${args[i + 1]}")"; i=$((i + 1)) ;;
        --var) printf '%s\n' --var "$c.${args[i + 1]}"; i=$((i + 1)) ;;
        *) die "stack_args: unexpected argument '${args[i]}' from pack_args $c" ;;
      esac
    done
  done
  [ $# -eq 0 ] || printf '%s\n' "$@"
}

# Waits (bounded) for every job the stack deployed: the deployment of each service job's current
# version, the allocations of the system job (node_exporter). On failure: task events and agent log.
wait_stack() {
  local c
  for c in $(stack_on); do
    if [ "$c" = node_exporter ]; then
      wait_system_job "$(job_of "$c")" "$DEPLOY_TIMEOUT"
    else
      # The version each job has now (registration is synchronous): its deployment is the one to
      # wait for, not an older one that the scheduler has not replaced yet.
      wait_deployment "$(job_of "$c")" "$DEPLOY_TIMEOUT" "$(api "job/$(job_of "$c")" | jq .Version)"
    fi
  done
}

# Waits (bounded) until the deployment of the job's given version (default: the latest
# deployment) is successful; fails at once when it fails or one of its allocations fails.
wait_deployment() {
  local job="$1" timeout="${2:-$DEPLOY_TIMEOUT}" version="${3:-}" deadline dep status="" desc="" v
  deadline=$((SECONDS + timeout))
  while [ $SECONDS -lt $deadline ]; do
    # Newest first; with auto_revert a failed version is followed by the revert's deployment.
    dep=$(api "job/$job/deployments" 2>/dev/null | jq -c --arg v "$version" \
      '[sort_by(-.CreateIndex)[] | select($v == "" or (.JobVersion | tostring) == $v)][0]' || echo null)
    if [ -n "$dep" ] && [ "$dep" != null ]; then
      v=$(jq .JobVersion <<<"$dep")
      status=$(jq -r .Status <<<"$dep")
      desc=$(jq -r .StatusDescription <<<"$dep")
      case "$status" in
        successful)
          log "job $job: deployment successful (version $v)"
          return 0
          ;;
        failed | cancelled)
          show_job_failure "$job"
          die_agent "job $job: deployment of version $v $status: $desc"
          ;;
      esac
      # An allocation of this version that failed will not heal: say so now, not at the deadline.
      if [ "$(api "job/$job/allocations" 2>/dev/null | jq --argjson v "$v" \
        '[.[] | select(.JobVersion == $v and .ClientStatus == "failed")] | length')" != 0 ]; then
        show_job_failure "$job"
        die_agent "job $job: an allocation of version $v failed (task events above)"
      fi
    fi
    sleep 1
  done
  show_job_failure "$job"
  die_agent "job $job: no successful deployment${version:+ of version $version} within ${timeout}s (last: ${status:-none} ${desc})"
}

# Task events of the job's allocations that are not healthy: the first thing to read on failure.
show_job_failure() {
  local job="$1"
  [ "${FAILURE_SHOWN:-}" = "$job" ] && return 0
  FAILURE_SHOWN=$job
  echo "--- allocations of job $job, with their last task events ---" >&2
  api "job/$job/allocations" 2>/dev/null | jq -r '
    .[] | "alloc \(.ID[0:8]) \(.TaskGroup) client=\(.ClientStatus) desired=\(.DesiredStatus)"
      + ([.TaskStates // {} | to_entries[] | "\n  task \(.key) \(.value.State) failed=\(.value.Failed)"
         + ([.value.Events[]? | "\n    \(.Type): \(.DisplayMessage)"] | .[-6:] | join(""))] | join(""))' >&2 || true
  echo "---" >&2
}

# host:port of every instance of a service registered in Nomad's catalogue.
service_addrs() { api "service/$1" 2>/dev/null | jq -r '.[] | "\(.Address):\(.Port)"'; }

# host:port of the instances of a service that pass their Consul health checks (the Consul lane).
consul_addrs() {
  curl -fsS --max-time 5 "http://127.0.0.1:$CONSUL_HTTP_PORT/v1/health/service/$1?passing=true" \
    | jq -r '.[] | "\(.Service.Address // .Node.Address):\(.Service.Port)"' | sort
}

# Where the packs registered a service: Consul in the Consul lane, else Nomad's own catalogue.
registered_addrs() { if [ -n "$CONSUL_HTTP_PORT" ]; then consul_addrs "$1"; else service_addrs "$1"; fi; }

print_addresses() {
  local addr
  # --- mesh hook
  if [ "$MESH" = 1 ]; then
    mesh_print_addresses
    return
  fi
  echo
  echo "Local cluster is up:"
  echo "  Nomad UI         $NOMAD_ADDR/ui/jobs   (jobs; allocations: $NOMAD_ADDR/ui/jobs/prototype_service@default/allocations)"
  echo "  Nomad API        $NOMAD_ADDR   (NOMAD_ADDR=$NOMAD_ADDR $NOMAD status)"
  if [ -n "$CONSUL_HTTP_PORT" ]; then
    echo "  Consul UI        http://127.0.0.1:$CONSUL_HTTP_PORT/ui/dc1/services   (intentions: http://127.0.0.1:$CONSUL_HTTP_PORT/ui/dc1/intentions)"
  fi
  while read -r addr; do
    [ -n "$addr" ] && echo "  prototype        http://$addr   (try: curl -d 'Hola mundo' -X POST http://$addr/echo)"
  done < <(registered_addrs prototype)
  while read -r addr; do
    [ -n "$addr" ] && echo "  Prometheus       http://$addr/targets   (graph: http://$addr/query)"
  done < <(registered_addrs prometheus)
  while read -r addr; do
    [ -n "$addr" ] && echo "  API gateway      http://$addr/v1/echo   (try: curl -d 'Hola mundo' -X POST http://$addr/v1/echo)"
  done < <(registered_addrs api-gateway)
  while read -r addr; do
    [ -n "$addr" ] && echo "  Alertmanager     http://$addr/api/v2/alerts   (the API; this module build has no web UI)"
  done < <(registered_addrs alertmanager)
  while read -r addr; do
    [ -n "$addr" ] && echo "  node_exporter    http://$addr/metrics"
  done < <(registered_addrs node-exporter)
  echo "  Nomad metrics    $NOMAD_ADDR/v1/metrics?format=prometheus   (scraped by Prometheus as job=\"nomad\")"
  echo "  Stop everything: make down"
}

# Waits (bounded) until every allocation of the system job's current version runs and its
# Nomad checks pass (system jobs have no deployment to wait for).
wait_system_job() {
  local job="$1" timeout="$2" deadline v allocs a ok
  deadline=$((SECONDS + timeout))
  v=$(api "job/$job" | jq .Version)
  while [ $SECONDS -lt $deadline ]; do
    allocs=$(api "job/$job/allocations" | jq -r --argjson v "$v" '.[] | select(.JobVersion == $v and .DesiredStatus == "run") | "\(.ID) \(.ClientStatus)"')
    ok=0
    if [ -n "$allocs" ] && ! grep -qv ' running$' <<<"$allocs"; then
      ok=1
      # Nomad reports the checks of nomad-provider services here (Consul's are in Consul).
      while read -r a _; do
        [ "$(api "allocation/$a/checks" | jq '[.[]? | select(.Status != "success")] | length')" = 0 ] || ok=0
      done <<<"$allocs"
    fi
    if [ $ok = 1 ]; then
      log "job $job: $(wc -l <<<"$allocs") allocation(s) of version $v running, checks passing"
      return 0
    fi
    if grep -q ' failed$' <<<"$allocs"; then
      show_job_failure "$job"
      die_agent "job $job: an allocation of version $v failed (task events above)"
    fi
    sleep 1
  done
  show_job_failure "$job"
  die_agent "job $job: its allocations of version $v did not all run with passing checks within ${timeout}s"
}

# One `nomad-pack run` of the stack deploys every component this machine can run; each job is
# then waited for. A job left failed by an earlier run is purged first (run_pack).
deploy_all() {
  local krakend line
  rm -f "$CLUSTER_DIR/krakend-path"
  # --- mesh hook: the mesh's images take the place of the host binaries.
  if [ "$MESH" != 1 ]; then
    krakend=$(find_krakend)
    [ -z "$krakend" ] || echo "$krakend" >"$CLUSTER_DIR/krakend-path"
  fi
  # --- mesh hook: the Consul config entries the service's mesh traffic needs.
  [ "$MESH" != 1 ] || mesh_config_entries
  while read -r line; do
    log "$STACK: ${line%%:*} switched off: ${line#*: }"
  done < <(stack_off)
  run_pack "$STACK"
  wait_stack
  # --- mesh hook: the API's address is the ingress gateway's, which answers a little later.
  [ "$MESH" != 1 ] || mesh_wait_ingress
}

# A failed `up` leaves the agent running for inspection and says how to clean up.
up_failed() {
  local rc=$?
  [ $rc -eq 0 ] && return 0
  echo >&2
  echo "make up FAILED (exit $rc): see the messages above." >&2
  if agent_pid >/dev/null; then
    echo "The agent is left running so that you can look (NOMAD_ADDR=$NOMAD_ADDR $NOMAD status);" >&2
    echo "'make down' stops it and removes everything; 'make up' again retries on it." >&2
  fi
}

cmd_up() {
  mkdir -p "$CLUSTER_DIR"
  trap up_failed EXIT
  if [ "${SKIP_SETUP:-0}" != 1 ]; then
    # --- mesh hook: the mesh needs more (podman, consul).
    local profile=up
    [ "$MESH" != 1 ] || profile=mesh
    log "== set-up: tools/setup.sh $profile"
    "$REPO/tools/setup.sh" "$profile"
  fi
  resolve_tools nomad nomad-pack prometheus envoy alertmanager node_exporter
  log "using $NOMAD ($("$NOMAD" version | head -1)), $NOMAD_PACK, $PROMETHEUS, $ENVOY, $ALERTMANAGER, $NODE_EXPORTER"
  # --- mesh hook: the service runs from `make image`'s image, not from the release build.
  if [ "$MESH" = 1 ]; then
    log "== [1/4] the mesh's host side, tools and images (tools/mesh.sh)"
    mesh_up
  else
    log "== [1/4] the service (release build; about 2 minutes the first time)"
    build_service
  fi
  log "== [2/4] the Nomad dev agent${CONSUL_HTTP_PORT:+ and a Consul dev agent}"
  [ -z "$CONSUL_HTTP_PORT" ] || start_consul
  start_agent
  log "== [3/4] deploying the packs with nomad-pack"
  add_registry
  deploy_all
  log "== [4/4] addresses"
  print_addresses
}

# Destroys every pack deployed on the agent, then purges whatever job is left (the agent is ours).
destroy_all() {
  local pack args job
  agent_pid >/dev/null || return 0
  if [ -f "$DEPLOYED_FILE" ]; then
    while read -r pack; do
      [ -n "$pack" ] || continue
      mapfile -t args < <(pack_args "$pack")
      log "nomad-pack destroy $pack"
      np destroy "$pack" "${args[@]}" >/dev/null 2>&1 \
        || echo "warning: nomad-pack destroy $pack failed; purging its job directly" >&2
    done <"$DEPLOYED_FILE"
  fi
  for job in $(api jobs 2>/dev/null | jq -r '.[] | select(.Status != "dead") | .ID'); do
    log "stopping leftover job $job"
    "$NOMAD" job stop -purge -yes "$job" >/dev/null 2>&1 || true
  done
  rm -f "$DEPLOYED_FILE"
  wait_allocs_stopped
}

# Waits (bounded) until every task process the agent started is gone (the API forgets purged
# allocations at once, while their tasks may still be draining), so that stopping the agent does
# not cut a task's shutdown short.
wait_allocs_stopped() {
  local deadline=$((SECONDS + 60)) agent consul others keep
  agent=$(agent_pid) || return 0
  consul=$(consul_pid) || consul=$agent
  keep=$(printf '%s\n' "$agent" "$consul")
  # --- mesh hook: podman's API outlives the allocations.
  [ "$MESH" != 1 ] || keep+=$'\n'$(podman_api_pids "$CLUSTER_DIR")
  while [ $SECONDS -lt $deadline ]; do
    others=$(cluster_pids | grep -vxF -f <(echo "$keep") | tr '\n' ' ' || true)
    [ -z "${others// /}" ] && return 0
    sleep 1
  done
  echo "warning: processes still running 60s after their jobs were stopped: $others" >&2
}

cmd_down() {
  require_tools
  destroy_all
  stop_agent
  stop_consul
  # --- mesh hook
  [ "$MESH" != 1 ] || mesh_down
  unmount_leftovers
  if reap_leftovers; then
    log "down: agent stopped, no process left"
  else
    log "down: agent stopped; leftover processes were killed (see above)"
  fi
}

cmd_status() {
  local pid
  pid=$(agent_pid) || die "no agent running for $CLUSTER_DIR (make up)"
  log "agent PID $pid at $NOMAD_ADDR"
  print_addresses
}

if [ "${CLUSTER_LIB:-0}" != 1 ]; then
  case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    agent-up)
      mkdir -p "$CLUSTER_DIR"
      start_agent
      ;;
    agent-down) cmd_down ;;
    *) die "usage: tools/cluster.sh up|down|status|agent-up|agent-down" ;;
  esac
fi
