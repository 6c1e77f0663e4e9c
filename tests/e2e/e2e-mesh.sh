#!/usr/bin/env bash
# The mesh lane (`make e2e-mesh`, part of `make test`): the packs' default mode live. Brings up the
# mesh of `make up MESH=1` with tools/cluster.sh (tools/mesh.sh: Nomad dev agent with bridge
# networking and the docker driver on podman's API, a Consul dev agent with Connect, real Envoy
# sidecars and ingress gateway; own state dir build/e2e-mesh/, Nomad 24646-24648, Consul
# 28500-28504, task ports 25000-26899, the ingress on 127.0.0.1:26980), then checks with real requests:
#   a. POST /v1/echo through the ingress answers the body, and both instances take requests;
#   b. the service's own port is not reachable from the host: only sidecars, expose listeners and
#      the ingress have host ports;
#   c. a Consul intention denying api-gateway -> prototype makes requests fail; allow restores them;
#      while it allows, the Consul UI in a real browser (tests/ui/web_uis_in_browser.py --consul-ui)
#      lists prototype's 2 instances with their sidecar proxies, the ingress and the intention
#      (screenshots in build/e2e-mesh/ui/);
#   d. Prometheus (consul_sd) has both targets up through the sidecars' expose listeners, and every
#      query of the service's Grafana dashboards returns data;
#   e. a rolling update under a continuous client through the ingress (failed requests counted);
#   f. kill -9 of one instance's process under the same client;
#   g. nomad-pack destroy and a clean stop: no container, interface, iptables rule, IP reservation,
#      process or mount of ours left behind, and the firewall chains CNI and Nomad create as before.
# Cleans up even when it fails. Environment: E2E_MAX_FAILED (0: failed requests allowed in e and f).
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../tools/env.sh"

export CLUSTER_DIR="$REPO/build/e2e-mesh"
export NOMAD_HTTP_PORT=24646 NOMAD_RPC_PORT=24647 NOMAD_SERF_PORT=24648
export CONSUL_HTTP_PORT=28500
export MIN_DYNAMIC_PORT=25000 MAX_DYNAMIC_PORT=26899
export MESH=1 MESH_INGRESS_PORT=26980
MAX_FAILED="${E2E_MAX_FAILED:-0}"
# shellcheck source=tools/cluster.sh
CLUSTER_LIB=1 source "$REPO/tools/cluster.sh"

HTTP=(python3 "$REPO/tests/e2e/e2e_http.py")
INGRESS="127.0.0.1:$MESH_INGRESS_PORT"
T0=$SECONDS
LOAD_PID=""

# shellcheck source=tests/e2e/steps.sh
source "$REPO/tests/e2e/steps.sh"

# Runs a command inside the network namespace of an allocation (its pause container's).
in_alloc_netns() {
  local alloc="$1" pid
  shift
  pid=$(mesh_netns_pid "$alloc") || fail "no pause container for allocation ${alloc:0:8}"
  nsenter -t "$pid" -n "$@"
}

running_allocs() {
  api "job/$1/allocations" | jq -r '.[] | select(.ClientStatus == "running" and .DesiredStatus == "run") | .ID'
}

consul_api() { curl -fsS --max-time 5 "http://127.0.0.1:$CONSUL_HTTP_PORT/v1/$1"; }

# The expose listener (host:port) of every passing instance of the service, from Consul.
expose_addrs() {
  consul_api "health/service/prototype?passing=true" | jq -r '.[].Service.Meta.sidecar_expose_addr' | sort
}

# The sum of prototype_service_echo_requests_total read through one expose listener.
echo_count() {
  curl -fsS --max-time 5 "http://$1/metrics" | awk '/^prototype_service_echo_requests_total/ {print $2}'
}

# load_start NAME: the continuous client through the ingress, in the background.
load_start() {
  rm -f "$CLUSTER_DIR/$1.stop" "$CLUSTER_DIR/$1.json"
  "${HTTP[@]}" load --addr "$INGRESS" --path /v1/echo --stop-file "$CLUSTER_DIR/$1.stop" --out "$CLUSTER_DIR/$1.json" &
  LOAD_PID=$!
}

# load_stop NAME: stops the client and checks its count; LOAD_RESULT="<failed> of <sent>".
load_stop() {
  local sent failed
  touch "$CLUSTER_DIR/$1.stop"
  wait "$LOAD_PID" || fail "the continuous client crashed"
  LOAD_PID=""
  jq -c '{sent, ok, failed, seconds}' "$CLUSTER_DIR/$1.json" >&2
  sent=$(jq .sent "$CLUSTER_DIR/$1.json")
  failed=$(jq .failed "$CLUSTER_DIR/$1.json")
  [ "$sent" -ge 100 ] || fail "the continuous client sent only $sent requests"
  if [ "$failed" -gt "$MAX_FAILED" ]; then
    jq -c '.failures[]' "$CLUSTER_DIR/$1.json" | head -10 >&2
    fail "$failed failed of $sent requests through the ingress (allowed: $MAX_FAILED)"
  fi
  LOAD_RESULT="$failed of $sent"
}

on_exit() {
  local rc=$? job
  trap - EXIT INT TERM
  set +e
  if [ -n "$LOAD_PID" ] && kill -0 "$LOAD_PID" 2>/dev/null; then
    kill "$LOAD_PID" 2>/dev/null
    wait "$LOAD_PID" 2>/dev/null
  fi
  if [ $rc -ne 0 ]; then
    echo
    echo "e2e-mesh FAILED in step: $STEP (after $((SECONDS - T0))s)" >&2
    if agent_pid >/dev/null; then
      for job in prototype_service krakend prometheus; do
        api "job/$job" >/dev/null 2>&1 && show_job_failure "$job"
      done
    fi
    agent_log_tail 40
  fi
  if agent_pid >/dev/null || consul_pid >/dev/null || [ -n "$(cluster_pids)" ] || [ -f "$CLUSTER_DIR/mesh.env" ]; then
    echo "cleaning up the mesh lane" >&2
    "$REPO/tools/cluster.sh" down >&2
  fi
  exit $rc
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
step "0. preconditions"
require_tools
python3 -c "import requests" 2>/dev/null || fail "python3 with the requests module is needed (apt-get install python3-requests)"
command -v nsenter >/dev/null || fail "nsenter is needed (apt-get install util-linux)"
[ "$(id -u)" = 0 ] || fail "the mesh lane needs root (bridge networking, network namespaces, podman as root)"
container_engine_init
mkdir -p "$CLUSTER_DIR"
if agent_pid >/dev/null || [ -f "$CLUSTER_DIR/mesh.env" ]; then
  echo "warning: a mesh from an earlier run is still up: taking it down" >&2
  "$REPO/tools/cluster.sh" down
fi
reap_leftovers || true
rm -f "$DEPLOYED_FILE"
CHAINS_BEFORE=$(ipt_chains)

# ---------------------------------------------------------------------------------------------
step "up: tools/cluster.sh up with MESH=1 (the make up MESH=1 code path)"
"$REPO/tools/cluster.sh" up
AGENT_PID=$(agent_pid) || fail "tools/cluster.sh up returned but no agent is running"
# Every allocation of the lane, for the cleanup check of step g.
[ "$(cat "$DEPLOYED_FILE")" = "$STACK" ] || fail "tools/cluster.sh up deployed '$(paste -sd' ' "$DEPLOYED_FILE")', expected the $STACK pack alone"
pass "mesh up through $STACK: agent PID $AGENT_PID, jobs $(api jobs | jq -r '[.[] | select(.Status != "dead") | .ID] | sort | join(" ")')"

step "nothing listens beyond loopback and the lane's own address"
pids=$(cluster_pids | paste -sd'|')
listeners=$(ss -Hltunp | grep -E "pid=($pids)," | awk '{print $5}' | sort -u)
[ -n "$listeners" ] || fail "found no listening socket of the cluster's processes (ss -ltunp)"
beyond=$(grep -v -e '^127\.0\.0\.1:' -e "^$MESH_HOST_ADDR:" <<<"$listeners" || true)
[ -z "$beyond" ] || fail "cluster processes listen beyond loopback and $MESH_HOST_ADDR: $(tr '\n' ' ' <<<"$beyond")"
# The host ports (portmap's DNAT rules to the allocations' addresses) must name their address.
dnat=$(iptables-save -t nat | grep -- '-j DNAT' | grep -F -- "--to-destination ${MESH_SUBNET%.*}." || true)
[ -n "$dnat" ] || fail "found no DNAT rule to the allocations' subnet $MESH_SUBNET: where are the host ports?"
wild=$(grep -v -e "-d 127.0.0.1/32" -e "-d $MESH_HOST_ADDR/32" <<<"$dnat" || true)
[ -z "$wild" ] || fail "host ports published on every address, not only 127.0.0.1/$MESH_HOST_ADDR: $wild"
pass "$(wc -l <<<"$listeners") listening sockets on 127.0.0.1/$MESH_HOST_ADDR; all $(wc -l <<<"$dnat") host-port DNAT rules bound to 127.0.0.1 or $MESH_HOST_ADDR"

# ---------------------------------------------------------------------------------------------
step "a. POST /v1/echo through the ingress gateway; both instances take requests"
mapfile -t EXPOSE < <(expose_addrs)
[ "${#EXPOSE[@]}" = 2 ] || fail "expected 2 passing instances of 'prototype' in Consul, got ${#EXPOSE[@]}: ${EXPOSE[*]}"
curl -sS --max-time 5 -d 'Hola mundo' -X POST "http://$INGRESS/v1/echo" | tee "$CLUSTER_DIR/echo.out"
echo
[ "$(cat "$CLUSTER_DIR/echo.out")" = "Hola mundo" ] || fail "curl -d 'Hola mundo' -X POST http://$INGRESS/v1/echo printed '$(cat "$CLUSTER_DIR/echo.out")'"
declare -A before
for e in "${EXPOSE[@]}"; do before[$e]=$(echo_count "$e"); done
for i in $(seq 1 40); do
  got=$(curl -sS --max-time 5 -d "Hola $i" "http://$INGRESS/v1/echo") || fail "request $i of 40 through the ingress failed"
  [ "$got" = "Hola $i" ] || fail "request $i of 40 through the ingress answered '$got'"
done
spread=""
for e in "${EXPOSE[@]}"; do
  n=$(( $(echo_count "$e") - before[$e] ))
  [ "$n" -gt 0 ] || fail "instance with expose listener $e took none of 40 requests through the ingress"
  spread+="$e: $n, "
done
pass "curl through the ingress printed 'Hola mundo'; 40 more requests spread over both instances (${spread%, })"

# ---------------------------------------------------------------------------------------------
step "b. the service's own port is not reachable from the host"
for a in $(running_allocs prototype_service); do
  ip=$(api "allocation/$a" | jq -r '.NetworkStatus.Address')
  [[ "$ip" =~ ^[0-9.]+$ ]] || fail "allocation ${a:0:8} has no bridge address (got '$ip')"
  if curl -s -o /dev/null --max-time 3 "http://$ip:8001/health"; then
    fail "the service answers on $ip:8001 from the host: it should listen on the namespace's loopback only"
  fi
  inside=$(in_alloc_netns "$a" ss -Hltn "sport = :8001" | awk '{print $4}' | sort -u | paste -sd' ')
  [ "$inside" = "127.0.0.1:8001" ] || fail "in allocation ${a:0:8}'s namespace port 8001 listens on '$inside', expected 127.0.0.1:8001 only"
  labels=$(api "allocation/$a" | jq -r '[.AllocatedResources.Shared.Ports[] | "\(.Label)=\(.HostIP):\(.Value)"] | sort | join(" ")')
  # The sidecar's inbound port, the /metrics expose listener and the expose listeners of the two
  # checks (svc_prototype_ck_*), nothing else.
  other=$(tr ' ' '\n' <<<"$labels" | grep -vE '^(connect-proxy-prototype|expose|svc_prototype_ck_[0-9a-f]+)=' || true)
  { [ -z "$other" ] && [[ " $labels" == *" connect-proxy-prototype="* ]]; } \
    || fail "allocation ${a:0:8} has host ports '$labels', expected only the sidecar's and expose listeners"
  echo "  alloc ${a:0:8}: $ip:8001 refused from the host, 127.0.0.1:8001 inside; host ports: $labels"
done
ilabels=$(for a in $(running_allocs krakend); do api "allocation/$a" | jq -r '.AllocatedResources.Shared.Ports[] | "\(.Label)=\(.HostIP):\(.Value)"'; done | sort | paste -sd' ')
grep -q "inbound=127.0.0.1:$MESH_INGRESS_PORT" <<<"$ilabels" || fail "the ingress is not on 127.0.0.1:$MESH_INGRESS_PORT (krakend job host ports: $ilabels)"
pass "the service listens on 127.0.0.1:8001 in its namespace only; host ports: sidecars, expose listeners, ingress ($ilabels)"

# ---------------------------------------------------------------------------------------------
step "c. a Consul intention deny api-gateway -> prototype stops requests; allow restores them"
# poll_status WANT: polls the ingress for up to 10 s until a request gives (WANT=200) or does not
# give (WANT=fail) 200; prints the seconds it took.
poll_status() {
  local t0=$SECONDS code
  while [ $((SECONDS - t0)) -le 10 ]; do
    code=$(mesh_ingress_status)
    if { [ "$1" = 200 ] && [ "$code" = 200 ]; } || { [ "$1" = fail ] && [ "$code" != 200 ]; }; then
      echo "$((SECONDS - t0))s (HTTP $code)"
      return 0
    fi
    sleep 0.5
  done
  return 1
}
# intention ACTION: the service-intentions config entry of prototype with api-gateway -> ACTION.
intention() {
  printf 'Kind = "service-intentions"\nName = "prototype"\nSources = [{ Name = "api-gateway", Action = "%s" }]\n' "$1" \
    | mesh_consul config write - >/dev/null || fail "consul config write of the $1 intention failed"
}
intention deny
denied=$(poll_status fail) || fail "requests still succeed 10s after the deny intention api-gateway -> prototype"
intention allow
allowed=$(poll_status 200) || fail "requests still fail 10s after the allow intention api-gateway -> prototype"
pass "deny: requests failed after $denied; allow: answered again after $allowed"
python3 "$REPO/tests/ui/web_uis_in_browser.py" --consul-ui "http://127.0.0.1:$CONSUL_HTTP_PORT" --out "$CLUSTER_DIR/ui" \
  || fail "the Consul UI in the browser does not show the mesh as expected (above; screenshots in $CLUSTER_DIR/ui/)"
pass "the Consul UI in Chromium: prototype with 2 instances, each with its sidecar proxy; api-ingress and its upstream; the intention api-gateway -> prototype Allow"
mesh_consul config delete -kind service-intentions -name prototype >/dev/null

# ---------------------------------------------------------------------------------------------
step "d. Prometheus: both targets up through the expose listeners; every service dashboard query has data"
PROM_ALLOC=$(running_allocs prometheus | head -1)
[ -n "$PROM_ALLOC" ] || fail "no running prometheus allocation"
PROM=(in_alloc_netns "$PROM_ALLOC" "${HTTP[@]}")
"${PROM[@]}" prom-wait --prom http://127.0.0.1:9090 --query 'up{job="prototype"}' --series 2 --value 1 --timeout 90
scraped=$(in_alloc_netns "$PROM_ALLOC" curl -fsS http://127.0.0.1:9090/api/v1/targets \
  | jq -r '[.data.activeTargets[] | select(.labels.job == "prototype") | .scrapeUrl] | sort | join(" ")')
[ "$scraped" = "$(printf 'http://%s/metrics\n' "${EXPOSE[@]}" | sort | paste -sd' ')" ] \
  || fail "Prometheus scrapes '$scraped', expected the expose listeners ${EXPOSE[*]}"
# Traffic of every kind (echo sizes, 404, 405, 413, health) on each instance, sent inside its namespace.
for a in $(running_allocs prototype_service); do
  in_alloc_netns "$a" "${HTTP[@]}" burst 127.0.0.1:8001
done
sleep 5
# The service's dashboards: the mesh lane deploys no node_exporter and does not scrape the Nomad
# agent, which the cluster dashboards show (the e2e lanes check those).
"${PROM[@]}" dashboards --prom http://127.0.0.1:9090 --dir "$REPO/packs/grafana/dashboards" --glob 'prototype-*.json'
pass "Prometheus scrapes $scraped (both up); every query of the service dashboards returns data"

# ---------------------------------------------------------------------------------------------
step "e. rolling update under a continuous client through the ingress"
SERVICE_VERSION=$(api job/prototype_service | jq .Version)
load_start load-update
sleep 3
# Through the stack, as a user would update it; only the service's job changes.
run_pack "$STACK" -f "$(stack_file prototype_service "$REPO/tests/packs/prototype_service/e2e-update.hcl")"
wait_deployment prototype_service 300 $((SERVICE_VERSION + 1))
sleep 3
load_stop load-update
ROLLING=$LOAD_RESULT
code=$(head -c 200000 /dev/zero | curl -s -o /dev/null -w '%{http_code}' --max-time 5 --data-binary @- "http://$INGRESS/v1/echo")
[ "$code" = 413 ] || fail "after the update, a 200 kB echo through the ingress gave $code, expected 413 (new max_body_bytes not live)"
pass "rolling update to version $((SERVICE_VERSION + 1)): $ROLLING requests through the ingress failed; new config live (200 kB -> 413)"

# ---------------------------------------------------------------------------------------------
step "f. kill -9 of one instance's process under a continuous client through the ingress"
victim=$(running_allocs prototype_service | head -1)
vpid=$(ctr inspect --format '{{.State.Pid}}' "prototype-$victim") || fail "no container prototype-$victim"
[ "$vpid" -gt 0 ] || fail "container prototype-$victim has no process"
restarts=$(api "allocation/$victim" | jq '.TaskStates.prototype.Restarts')
load_start load-kill
sleep 2
log "kill -9 PID $vpid (the service in allocation ${victim:0:8})"
kill -KILL "$vpid"
deadline=$((SECONDS + 120))
# Back: restarted by Nomad in a new container, its task running, both instances passing in Consul.
until [ "$(api "allocation/$victim" | jq -r '"\(.TaskStates.prototype.Restarts) \(.TaskStates.prototype.State)"')" = "$((restarts + 1)) running" ] \
  && npid=$(ctr inspect --format '{{.State.Pid}}' "prototype-$victim" 2>/dev/null) && [ "$npid" -gt 0 ] && [ "$npid" != "$vpid" ] \
  && [ "$(expose_addrs | wc -l)" = 2 ]; do
  [ $SECONDS -lt $deadline ] || fail "allocation ${victim:0:8} was not restarted and passing again within 120s"
  sleep 1
done
log "restarted by Nomad as PID $npid; both instances passing"
sleep 5
load_stop load-kill
KILLED=$LOAD_RESULT
pass "kill -9 of PID $vpid: Nomad restarted the service as PID $npid, both instances passing again; $KILLED requests through the ingress failed"

# ---------------------------------------------------------------------------------------------
step "g. nomad-pack destroy, clean stop: nothing of the mesh left"
# The leftover check sees the mesh while it runs: containers, interfaces, iptables rules, IP reservations.
running=$(mesh_leftovers | cut -d' ' -f1 | sort | uniq -c | paste -sd' ')
for kind in container link iptables cni; do
  [[ "$running" == *" $kind"* ]] || fail "the leftover check does not see the running mesh's ${kind}s (it sees: $running)"
done
destroy_deployed
deadline=$((SECONDS + 60))
until [ -z "$(ctr ps -a --filter "label=$MESH_ALLOC_LABEL" -q)" ]; do
  [ $SECONDS -lt $deadline ] || fail "containers still there 60s after destroy: $(ctr ps -a --filter "label=$MESH_ALLOC_LABEL" --format '{{.Names}}' | paste -sd' ')"
  sleep 1
done
wait_allocs_stopped
rm -f "$DEPLOYED_FILE"
stop_agent
grep -q "agent: shutdown complete" "$AGENT_LOG" || fail "the agent log does not end with 'shutdown complete'"
stop_consul
mesh_down
unmount_leftovers
reap_leftovers || fail "processes were left behind after the agents stopped (killed, see above)"
[ -z "$(findmnt -rn -o TARGET | grep -F "$CLUSTER_DIR/" || true)" ] || fail "mounts left under $CLUSTER_DIR"
leftovers=$(mesh_leftovers)
[ -z "$leftovers" ] || fail "left behind by the mesh: $leftovers"
[ "$(ipt_chains)" = "$CHAINS_BEFORE" ] || fail "firewall chains: '$(ipt_chains)' after the lane, '$CHAINS_BEFORE' before it"
pass "every job destroyed, agents and podman's API stopped; of what ran ($running) no container, interface, iptables rule or chain, IP reservation, process or mount is left (plugin chains before and after: '${CHAINS_BEFORE:-none}')"

# ---------------------------------------------------------------------------------------------
echo
log "e2e mesh lane passed in $((SECONDS - T0))s"
printf '  %s\n' "${RESULTS[@]}"
echo "Closing note: rolling update: $ROLLING; kill -9: $KILLED (requests through the ingress); e2e-mesh duration $((SECONDS - T0))s."
