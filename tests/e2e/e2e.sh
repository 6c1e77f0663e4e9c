#!/usr/bin/env bash
# End-to-end tests of the packs on a real Nomad dev agent (`make e2e`, part of `make test`).
# Brings the cluster of `make up` up with tools/cluster.sh (own state dir build/e2e/ and ports
# 14646-14648, Prometheus on a dynamic port, so it can run beside a `make up` cluster), then checks
# with real HTTP calls and Nomad's API: allocations and checks, echo through every instance and the
# gateway, Prometheus targets and every Grafana dashboard query, a rolling update under a
# continuous client to the instances and another through the gateway (no request may fail, and
# the gateway may not restart), a kill -9 of one instance, `nomad-pack plan` of the
# default stack (only the expected problems: no docker driver, no Consul), `nomad-pack destroy`
# and a clean agent stop. Cleans up even when it fails; on failure prints the agent log tail and
# the failing allocations' task events.
# `tests/e2e/e2e.sh --consul` runs the Consul lane instead: a Consul dev agent (built by
# tools/build-consul.sh) beside Nomad, the packs with service_provider = "consul", Prometheus
# discovering through consul_sd_configs, and the same rolling update (build/e2e-consul/, Nomad
# 14746-14748, Consul 18500-18504).
# Environment: E2E_HTTP_PORT (14646; RPC and Serf use the next two), E2E_CONSUL_LANE_HTTP_PORT
# (14746) and E2E_CONSUL_HTTP_PORT (18500, Consul's next four too) in the Consul lane,
# E2E_MIN_DYNAMIC_PORT/E2E_MAX_DYNAMIC_PORT (the tasks' ports: 15000-17499, Consul lane
# 17500-19999; lanes run side by side need ranges apart), E2E_MAX_FAILED (0: failed requests
# allowed during the rolling update, per client), E2E_UPDATE_VARS (the var file of the rolling
# update), NO_KRAKEND=1, SKIP_BUILD=1 (see tools/cluster.sh).
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../tools/env.sh"

LANE=nomad
case "${1:-}" in
  "") ;;
  --consul) LANE=consul ;;
  *) echo "usage: tests/e2e/e2e.sh [--consul]" >&2; exit 2 ;;
esac
if [ "$LANE" = nomad ]; then
  export CLUSTER_DIR="$REPO/build/e2e"
  export NOMAD_HTTP_PORT="${E2E_HTTP_PORT:-14646}"
  export MIN_DYNAMIC_PORT="${E2E_MIN_DYNAMIC_PORT:-15000}" MAX_DYNAMIC_PORT="${E2E_MAX_DYNAMIC_PORT:-17499}"
else
  # The Consul lane: its own state, ports and task port range, so both lanes can run side by side.
  export CLUSTER_DIR="$REPO/build/e2e-consul"
  export NOMAD_HTTP_PORT="${E2E_CONSUL_LANE_HTTP_PORT:-14746}"
  export CONSUL_HTTP_PORT="${E2E_CONSUL_HTTP_PORT:-18500}"
  export MIN_DYNAMIC_PORT="${E2E_MIN_DYNAMIC_PORT:-17500}" MAX_DYNAMIC_PORT="${E2E_MAX_DYNAMIC_PORT:-19999}"
fi
export NOMAD_RPC_PORT=$((NOMAD_HTTP_PORT + 1))
export NOMAD_SERF_PORT=$((NOMAD_HTTP_PORT + 2))
export PROMETHEUS_PORT=0
MAX_FAILED="${E2E_MAX_FAILED:-0}"
# shellcheck source=tools/cluster.sh
CLUSTER_LIB=1 source "$REPO/tools/cluster.sh"

HTTP=(python3 "$REPO/tests/e2e/e2e_http.py")
SERVICE_JOB=prototype_service
T0=$SECONDS
LOAD_PID=""
LOAD_GW_PID=""
WEBHOOK_PID=""
STOPPED_PID=""
GW_ROLLING=""
ALERTING=""
# Arguments added to the stack's own by the steps so far (prefixed var files), as a user's var
# file grows: every later stack run keeps them, so a step changes only the component it means to.
STACK_EXTRA=()

# shellcheck source=tests/e2e/steps.sh
source "$REPO/tests/e2e/steps.sh"

on_exit() {
  local rc=$? job p
  trap - EXIT INT TERM
  set +e
  # A process the alert step froze is let go before anything else is stopped.
  [ -z "$STOPPED_PID" ] || kill -CONT "$STOPPED_PID" 2>/dev/null
  for p in $LOAD_PID $LOAD_GW_PID $WEBHOOK_PID; do
    if kill -0 "$p" 2>/dev/null; then
      kill "$p" 2>/dev/null
      wait "$p" 2>/dev/null
    fi
  done
  if [ $rc -ne 0 ]; then
    echo
    echo "e2e FAILED in step: $STEP (after $((SECONDS - T0))s)" >&2
    if agent_pid >/dev/null; then
      for job in $SERVICE_JOB prometheus krakend alertmanager node_exporter; do
        api "job/$job" >/dev/null 2>&1 && show_job_failure "$job"
      done
    fi
    agent_log_tail 40
  fi
  if agent_pid >/dev/null || consul_pid >/dev/null || [ -n "$(cluster_pids)" ]; then
    echo "cleaning up the e2e cluster" >&2
    destroy_all >/dev/null 2>&1
    stop_agent >/dev/null
    stop_consul >/dev/null
    unmount_leftovers
    reap_leftovers || true
  fi
  exit $rc
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# host:port of a service's instances where this lane registers them: Nomad's catalogue, or the
# instances passing their checks in Consul.
lane_addrs() { if [ "$LANE" = consul ]; then consul_addrs "$1"; else service_addrs "$1"; fi; }

# Prometheus lists the Alertmanager (found where the lane registers it) as active, and
# how many series the cluster's own targets give per scrape (Nomad agents, node_exporter:
# scrape_samples_scraped). Sets OBSERVED.
check_observed() {
  local am deadline active nomad_series node_series
  am=$(lane_addrs alertmanager | head -1)
  [ -n "$am" ] || fail "'alertmanager' is not registered"
  deadline=$((SECONDS + 60))
  until active=$(curl -fsS "$PROM/api/v1/alertmanagers" | jq -r '[.data.activeAlertmanagers[].url] | join(" ")') \
    && grep -q "//$am/" <<<"$active"; do
    [ $SECONDS -lt $deadline ] || fail "Prometheus does not list the Alertmanager at $am as active within 60s (active: '${active:-none}')"
    sleep 1
  done
  nomad_series=$(curl -fsS "$PROM/api/v1/query" --data-urlencode 'query=sum(scrape_samples_scraped{job="nomad"})' | jq -r '.data.result[0].value[1] // 0')
  node_series=$(curl -fsS "$PROM/api/v1/query" --data-urlencode 'query=sum(scrape_samples_scraped{job="node-exporter"})' | jq -r '.data.result[0].value[1] // 0')
  [ "$nomad_series" -gt 100 ] || fail "only $nomad_series series from the Nomad agent (job=\"nomad\"): is telemetry.prometheus_metrics on?"
  [ "$node_series" -gt 100 ] || fail "only $node_series series from node_exporter"
  OBSERVED="Alertmanager $active active in Prometheus; cluster series scraped: $nomad_series from the Nomad agent + $node_series from node_exporter = $((nomad_series + node_series))"
}

# One instance of the service stops answering (SIGSTOP: it stays registered, its scrapes fail):
# InstanceDown must fire, go from Prometheus to Alertmanager and reach the webhook receiver this
# test runs (its URL a secret in the Nomad Variable the pack reads); after SIGCONT the alert must
# resolve and the resolved notification arrive too. Sets ALERTING with the measured times.
check_alert_delivery() {
  local port out am victim vport vpid t_stop firing_at for_s t_fired t_recv t_cont t_resolved deadline v
  rm -f "$CLUSTER_DIR/webhook.stop" "$CLUSTER_DIR/webhook.port" "$CLUSTER_DIR/webhook.jsonl"
  "${HTTP[@]}" webhook --out "$CLUSTER_DIR/webhook.jsonl" --port-file "$CLUSTER_DIR/webhook.port" \
    --stop-file "$CLUSTER_DIR/webhook.stop" &
  WEBHOOK_PID=$!
  deadline=$((SECONDS + 10))
  until [ -s "$CLUSTER_DIR/webhook.port" ]; do
    [ $SECONDS -lt $deadline ] || fail "the webhook receiver did not start"
    sleep 0.2
  done
  port=$(cat "$CLUSTER_DIR/webhook.port")
  out=$("$NOMAD" var put -force nomad/jobs/alertmanager "webhook_url=http://127.0.0.1:$port/alerts" 2>&1) \
    || fail "nomad var put nomad/jobs/alertmanager failed: $out"
  # Through the stack, as a user would: its var files plus the receiver; only alertmanager changes.
  STACK_EXTRA+=(-f "$(stack_file alertmanager "$REPO/tests/packs/alertmanager/e2e-webhook.hcl")")
  run_pack "$STACK" "${STACK_EXTRA[@]}"
  v=$(api job/alertmanager | jq .Version)
  wait_deployment alertmanager 120 "$v"
  am=$(lane_addrs alertmanager | head -1)
  curl -fsS "http://$am/api/v2/status" | jq -r .config.original | grep -q "name: e2e-webhook" \
    || fail "the Alertmanager at $am does not run the e2e-webhook receiver (GET /api/v2/status)"
  check_observed

  victim=$(lane_addrs prototype | sort | head -1)
  vport=${victim##*:}
  vpid=$(ss -Hltnp "sport = :$vport" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  if [ -z "$vpid" ] || [ "$(readlink "/proc/$vpid/exe")" != "$SERVICE_BIN" ]; then fail "no service process listens on $victim"; fi
  log "SIGSTOP to PID $vpid ($victim): it stays registered but stops answering"
  t_stop=$(date +%s.%N)
  kill -STOP "$vpid"
  STOPPED_PID=$vpid
  t_recv=$("${HTTP[@]}" wait-notification --out "$CLUSTER_DIR/webhook.jsonl" --status firing \
    --alert InstanceDown --instance "$victim" --timeout 60)
  # When the rule started firing: Prometheus' ALERTS series of the alert turned firing (activeAt
  # is when it became pending; firing begins "for" later, at an evaluation).
  firing_at=$(curl -fsS "$PROM/api/v1/alerts" | jq -r --arg i "$victim" \
    '.data.alerts[] | select(.labels.alertname == "InstanceDown" and .labels.instance == $i and .state == "firing") | .activeAt' | head -1)
  [ -n "$firing_at" ] || fail "the webhook got InstanceDown for $victim but Prometheus does not show it firing"
  for_s=$(curl -fsS "$PROM/api/v1/rules" | jq -r '[.data.groups[].rules[] | select(.name == "InstanceDown")][0].duration')
  t_fired=$(python3 -c 'import sys, datetime; print(datetime.datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00")).timestamp() + float(sys.argv[2]))' "$firing_at" "$for_s")
  log "InstanceDown for $victim: firing from $(date -u -d "@$t_fired" +%T.%3N), webhook got it at $(date -u -d "@$t_recv" +%T.%3N)"
  t_cont=$(date +%s.%N)
  kill -CONT "$vpid"
  STOPPED_PID=""
  t_resolved=$("${HTTP[@]}" wait-notification --out "$CLUSTER_DIR/webhook.jsonl" --status resolved \
    --alert InstanceDown --instance "$victim" --timeout 90)
  touch "$CLUSTER_DIR/webhook.stop"
  wait "$WEBHOOK_PID" || true
  WEBHOOK_PID=""
  ALERTING=$(python3 -c 'import sys; s, f, r, c, z, d = map(float, sys.argv[1:]); print(
    f"InstanceDown delivered to the webhook {r - f:.1f}s after the rule fired ({r - s:.1f}s after SIGSTOP, "
    f"rule for {d:g}s), resolved notification {z - c:.1f}s after SIGCONT")' "$t_stop" "$t_fired" "$t_recv" "$t_cont" "$t_resolved" "$for_s")
}

# ---------------------------------------------------------------------------------------------
step "0. preconditions"
require_tools
python3 -c "import requests" 2>/dev/null || fail "python3 with the requests module is needed (apt-get install python3-requests)"
mkdir -p "$CLUSTER_DIR"
if pid=$(agent_pid); then
  echo "warning: an agent from an earlier e2e run is still up (PID $pid): stopping it" >&2
  destroy_all >/dev/null 2>&1 || true
  stop_agent
fi
stop_consul
unmount_leftovers
reap_leftovers || true
rm -f "$DEPLOYED_FILE"
[ "$LANE" != consul ] || resolve_tools consul

# ---------------------------------------------------------------------------------------------
step "up: tools/cluster.sh up (the make up code path: one nomad-pack run of the stack)"
"$REPO/tools/cluster.sh" up
AGENT_PID=$(agent_pid) || fail "tools/cluster.sh up returned but no agent is running"
[ "$(cat "$DEPLOYED_FILE")" = "$STACK" ] || fail "tools/cluster.sh up deployed '$(paste -sd' ' "$DEPLOYED_FILE")', expected the $STACK pack alone"
# The host binaries the stack's later runs name (tools/cluster.sh up resolved them in its own process).
resolve_tools prometheus envoy alertmanager node_exporter
SERVICE_VERSION=$(api "job/$SERVICE_JOB" | jq .Version)
GATEWAY=no
api job/krakend >/dev/null 2>&1 && GATEWAY=yes
JOBS=$(api jobs | jq -r '[.[] | select(.Status != "dead") | .ID] | sort | join(" ")')
pass "cluster up through $STACK: agent PID $AGENT_PID, jobs $JOBS, $SERVICE_JOB version $SERVICE_VERSION, gateway deployed: $GATEWAY"

step "up again: idempotent, same agent, no new job version"
"$REPO/tools/cluster.sh" up >"$CLUSTER_DIR/up-again.log" 2>&1 || { cat "$CLUSTER_DIR/up-again.log"; fail "second tools/cluster.sh up failed"; }
pid=$(agent_pid) || fail "no agent after the second up"
[ "$pid" = "$AGENT_PID" ] || fail "the second up started another agent (PID $pid, was $AGENT_PID)"
n=$(pgrep -f -c -- "agent -dev -config $CLUSTER_DIR/agent.hcl" || true)
[ "$n" = 1 ] || fail "$n agent processes use $CLUSTER_DIR/agent.hcl, expected 1"
v=$(api "job/$SERVICE_JOB" | jq .Version)
[ "$v" = "$SERVICE_VERSION" ] || fail "redeploying unchanged packs made a new job version ($v, was $SERVICE_VERSION)"
pass "second up reused agent PID $AGENT_PID (1 agent process), $SERVICE_JOB still version $v"

step "recovery: a job left failed by an earlier run is deployed anew by the next up"
# A first deployment of Prometheus whose binary does not exist fails, as after a broken set-up
# (purged first, so that there is no earlier good version for auto_revert to go back to).
"$NOMAD" job stop -purge -yes prometheus >/dev/null
wait_allocs_stopped
if (run_pack "$STACK" --var prometheus.binary_path=/nonexistent/prometheus \
  && wait_deployment prometheus 120 "$(api job/prometheus | jq .Version)") >"$CLUSTER_DIR/broken.log" 2>&1; then
  fail "a Prometheus without its binary was deployed successfully (see $CLUSTER_DIR/broken.log)"
fi
grep -q "prometheus" "$CLUSTER_DIR/broken.log" || fail "the failed deployment said nothing about prometheus"
"$REPO/tools/cluster.sh" up >"$CLUSTER_DIR/up-recover.log" 2>&1 || { cat "$CLUSTER_DIR/up-recover.log"; fail "up after a failed job did not converge"; }
grep -q "from an earlier run: .*; purging it" "$CLUSTER_DIR/up-recover.log" || fail "up did not purge the failed prometheus job (log: $CLUSTER_DIR/up-recover.log)"
pass "a failed prometheus deployment ($(grep -m1 -o 'deployment of version [0-9]* [a-z]*\|an allocation of version [0-9]* failed' "$CLUSTER_DIR/broken.log")) was purged and deployed anew by the next up"

step "nothing listens beyond loopback"
pids=$(cluster_pids | paste -sd'|')
listeners=$(ss -Hltunp | grep -E "pid=($pids)," | awk '{print $5}' | sort -u)
[ -n "$listeners" ] || fail "found no listening socket of the cluster's processes (ss -ltunp)"
beyond=$(grep -v '^127\.0\.0\.1:' <<<"$listeners" || true)
[ -z "$beyond" ] || fail "cluster processes listen beyond loopback: $(tr '\n' ' ' <<<"$beyond")"
pass "all $(wc -l <<<"$listeners") listening sockets of the agent and its tasks are on 127.0.0.1"

# ---------------------------------------------------------------------------------------------
# load_result FILE WHO: the summary of one continuous client in LOAD_RESULT ("N failed of M
# requests WHO"); fails when more than MAX_FAILED failed or there was a moment without a healthy
# instance to send to.
load_result() {
  local file="$1" who="$2" sent failed gaps
  jq -c '{sent, ok, failed, no_instance_ticks, seconds, per_instance}' "$file"
  sent=$(jq .sent "$file")
  failed=$(jq .failed "$file")
  gaps=$(jq .no_instance_ticks "$file")
  LOAD_RESULT="$failed failed of $sent requests $who"
  [ "$sent" -ge 100 ] || fail "the continuous client sent only $sent requests $who"
  if [ "$failed" -gt "$MAX_FAILED" ] || [ "$gaps" -gt 0 ]; then
    jq -c '.failures[]' "$file" | head -10 >&2
    fail "$LOAD_RESULT during the rolling update (allowed: $MAX_FAILED), $gaps moments without a healthy instance"
  fi
}

# Restarts of the gateway's tasks so far (KrakenD and Envoy, every running allocation).
gateway_restarts() {
  api "job/krakend/allocations" | jq '[.[] | select(.ClientStatus == "running") | .TaskStates[]?.Restarts] | add // 0'
}

# The rolling update of prototype_service (a new application.toml), under two continuous clients:
# one round-robin over the healthy instances, one through the gateway (when deployed), each
# following the catalogue given by the arguments (--nomad ADDR or --consul ADDR). Neither may see
# a failed request (E2E_MAX_FAILED), and the gateway may not restart: KrakenD calls Envoy beside
# it, which reloads the backend list by itself.
rolling_update() {
  local addrs_of=service_addrs gw_restarts=0 code addr
  [ "$1" != --consul ] || addrs_of=consul_addrs
  rm -f "$CLUSTER_DIR"/load*.stop "$CLUSTER_DIR"/load*.json
  "${HTTP[@]}" load "$@" --stop-file "$CLUSTER_DIR/load.stop" --out "$CLUSTER_DIR/load.json" &
  LOAD_PID=$!
  if [ "$GATEWAY" = yes ]; then
    gw_restarts=$(gateway_restarts)
    "${HTTP[@]}" load "$@" --service api-gateway --path /v1/echo \
      --stop-file "$CLUSTER_DIR/load.stop" --out "$CLUSTER_DIR/load-gateway.json" &
    LOAD_GW_PID=$!
  fi
  sleep 3
  # The update: a smaller max_body_bytes in the service's application.toml (the `config` variable).
  # E2E_UPDATE_VARS swaps the var file, e.g. for one that breaks the service, to see this step fail.
  # Through the stack, as a user would update it; only the service's job changes.
  STACK_EXTRA+=(-f "$(stack_file prototype_service "${E2E_UPDATE_VARS:-$REPO/tests/packs/prototype_service/e2e-update.hcl}")")
  run_pack "$STACK" "${STACK_EXTRA[@]}"
  NEW_VERSION=$((SERVICE_VERSION + 1))
  wait_deployment "$SERVICE_JOB" 180 "$NEW_VERSION"
  sleep 3
  touch "$CLUSTER_DIR/load.stop"
  wait "$LOAD_PID" || fail "the continuous client crashed"
  LOAD_PID=""
  if [ -n "$LOAD_GW_PID" ]; then
    wait "$LOAD_GW_PID" || fail "the continuous client of the gateway crashed"
    LOAD_GW_PID=""
  fi
  load_result "$CLUSTER_DIR/load.json" "to the instances"
  ROLLING=$LOAD_RESULT
  [ "$(jq '.instances_seen | length' "$CLUSTER_DIR/load.json")" -ge 3 ] \
    || fail "the client saw only $(jq -c .instances_seen "$CLUSTER_DIR/load.json") during the update: it did not follow the new instances"
  if [ "$GATEWAY" = yes ]; then
    load_result "$CLUSTER_DIR/load-gateway.json" "through the gateway"
    GW_ROLLING=$LOAD_RESULT
    gw_restarts=$(( $(gateway_restarts) - gw_restarts ))
    [ "$gw_restarts" = 0 ] || fail "the gateway's tasks restarted $gw_restarts time(s) during the update (Envoy should have reloaded the backend list instead)"
  fi
  # The new configuration is live on both new instances: 200 kB is now above max_body_bytes.
  mapfile -t INSTANCES < <("$addrs_of" prototype | sort)
  [ "${#INSTANCES[@]}" = 2 ] || fail "expected 2 instances after the update, got ${#INSTANCES[@]}"
  for addr in "${INSTANCES[@]}"; do
    code=$(head -c 200000 /dev/zero | curl -s -o /dev/null -w '%{http_code}' --max-time 5 --data-binary @- "http://$addr/echo")
    [ "$code" = 413 ] || fail "after the update, a 200 kB echo to $addr gave $code, expected 413 (new max_body_bytes not live)"
  done
  if [ "$GATEWAY" = yes ]; then
    # The old instances are gone: an answer through the gateway proves it follows the catalogue.
    "${HTTP[@]}" echo "$("$addrs_of" api-gateway | head -1)" --path /v1/echo
  fi
  pass "rolling update to version $NEW_VERSION: deployment successful, $ROLLING, new config live on ${INSTANCES[*]}${GW_ROLLING:+; $GW_ROLLING, gateway not restarted}"
}

# ---------------------------------------------------------------------------------------------
if [ "$LANE" = consul ]; then
  step "C1. both instances registered in Consul by Nomad, their Consul checks passing"
  deadline=$((SECONDS + 60))
  while [ $SECONDS -lt $deadline ]; do
    mapfile -t INSTANCES < <(consul_addrs prototype)
    [ "${#INSTANCES[@]}" = 2 ] && break
    sleep 1
  done
  [ "${#INSTANCES[@]}" = 2 ] || fail "expected 2 passing 'prototype' instances in Consul within 60s, got ${#INSTANCES[@]}"
  [ -z "$(service_addrs prototype)" ] || fail "'prototype' is also in Nomad's own catalogue: the consul provider was not used"
  checks=$(curl -fsS "http://127.0.0.1:$CONSUL_HTTP_PORT/v1/health/checks/prototype" | jq -r '[.[] | "\(.Name)=\(.Status)"] | sort | join(" ")')
  pass "2 instances passing in Consul: ${INSTANCES[*]} (checks: $checks)"

  step "C2. POST /echo 'Hola mundo' through each instance and the gateway, found in Consul"
  for addr in "${INSTANCES[@]}"; do
    "${HTTP[@]}" echo "$addr"
  done
  if [ "$GATEWAY" = yes ]; then
    deadline=$((SECONDS + 60))
    gw=""
    while [ -z "$gw" ] && [ $SECONDS -lt $deadline ]; do
      gw=$(consul_addrs api-gateway | head -1)
      [ -n "$gw" ] || sleep 1
    done
    [ -n "$gw" ] || fail "'api-gateway' did not pass its Consul checks within 60s"
    "${HTTP[@]}" echo "$gw" --path /v1/echo
  fi
  pass "echo through ${INSTANCES[*]}${gw:+ and the gateway at $gw}"

  step "C3. Prometheus discovers both instances through consul_sd_configs"
  PROM="http://$(consul_addrs prometheus | head -1)"
  [ "$PROM" != "http://" ] || fail "'prometheus' is not passing in Consul"
  "${HTTP[@]}" prom-wait --prom "$PROM" --query 'up{job="prototype"}' --series 2 --value 1 --timeout 60
  sd=$(curl -fsS "$PROM/api/v1/targets" | jq -r '[.data.activeTargets[] | select(.labels.job == "prototype") | .discoveredLabels.__meta_consul_service // "not-consul"] | sort | join(" ")')
  [ "$sd" = "prototype prototype" ] || fail "the prototype targets were not discovered through Consul (discovered labels: $sd)"
  pass "Prometheus at $PROM: 2 targets up, both discovered by consul_sd (__meta_consul_service=prototype)"

  step "C3b. the cluster observed through Consul: Alertmanager active, Nomad and node_exporter scraped"
  "${HTTP[@]}" prom-wait --prom "$PROM" --query 'up{job="nomad"}' --series 1 --value 1 --timeout 60
  "${HTTP[@]}" prom-wait --prom "$PROM" --query 'up{job="node-exporter"}' --series 1 --value 1 --timeout 60
  sd=$(curl -fsS "$PROM/api/v1/targets" | jq -r '[.data.activeTargets[] | select(.labels.job == "nomad" or .labels.job == "node-exporter") | .discoveredLabels.__meta_consul_service // "not-consul"] | sort | unique | join(" ")')
  [ "$sd" = "node-exporter nomad nomad-client" ] || [ "$sd" = "node-exporter nomad" ] || [ "$sd" = "node-exporter nomad-client" ] \
    || fail "the Nomad/node_exporter targets were not discovered through Consul (services: $sd)"
  check_observed
  pass "$OBSERVED (Consul services: $sd)"

  step "C3c. an instance stops answering: InstanceDown fires, reaches the webhook receiver, resolves"
  check_alert_delivery
  pass "$ALERTING"

  step "C4. rolling update under a continuous client, directly and through the gateway, found in Consul"
  rolling_update --consul "http://127.0.0.1:$CONSUL_HTTP_PORT"

  step "C5. nomad-pack destroy removes every job; both agents stop cleanly"
  destroy_deployed
  wait_allocs_stopped
  rm -f "$DEPLOYED_FILE"
  deadline=$((SECONDS + 30))
  until [ -z "$(curl -fsS "http://127.0.0.1:$CONSUL_HTTP_PORT/v1/catalog/services" | jq -r 'keys - ["consul", "nomad", "nomad-client"] | join(" ")')" ]; do
    [ $SECONDS -lt $deadline ] || fail "services left in Consul after destroy: $(curl -fsS "http://127.0.0.1:$CONSUL_HTTP_PORT/v1/catalog/services" | jq -c 'keys')"
    sleep 1
  done
  stop_agent
  stop_consul
  unmount_leftovers
  reap_leftovers || fail "processes were left behind after the agents stopped (killed, see above)"
  pass "every job destroyed, Consul catalogue empty again, both agents stopped, nothing left"

  echo
  log "e2e Consul lane passed in $((SECONDS - T0))s"
  printf '  %s\n' "${RESULTS[@]}"
  echo "Closing note: rolling update: $ROLLING${GW_ROLLING:+ ($GW_ROLLING)}; $ALERTING; $OBSERVED; Consul lane duration $((SECONDS - T0))s."
  exit 0
fi

# ---------------------------------------------------------------------------------------------
step "1. both service allocations running, their Nomad checks passing"
allocs=$(api "job/$SERVICE_JOB/allocations" | jq -r --argjson v "$SERVICE_VERSION" \
  '.[] | select(.JobVersion == $v and .ClientStatus == "running" and .DesiredStatus == "run") | .ID')
[ "$(wc -w <<<"$allocs")" = 2 ] || fail "expected 2 running allocations of $SERVICE_JOB, got: $(wc -w <<<"$allocs")"
for a in $allocs; do
  checks=$(api "allocation/$a/checks" | jq -r '[.[] | "\(.Check)=\(.Status)"] | sort | join(" ")')
  [ "$checks" = "health=success ready=success" ] || fail "allocation ${a:0:8}: checks are '$checks', expected health=success ready=success"
  echo "  alloc ${a:0:8}: running, $checks"
done
pass "2 allocations running, health and ready checks passing on both"

# ---------------------------------------------------------------------------------------------
step "2. POST /echo 'Hola mundo' through each instance and the gateway"
mapfile -t INSTANCES < <(service_addrs prototype | sort)
[ "${#INSTANCES[@]}" = 2 ] || fail "expected 2 instances of 'prototype' in Nomad's catalogue, got ${#INSTANCES[@]}: ${INSTANCES[*]}"
for addr in "${INSTANCES[@]}"; do
  "${HTTP[@]}" echo "$addr"
done
if [ "$GATEWAY" = yes ]; then
  gw=$(service_addrs api-gateway | head -1)
  [ -n "$gw" ] || fail "krakend was deployed but 'api-gateway' is not in the catalogue"
  "${HTTP[@]}" echo "$gw" --path /v1/echo
  pass "echo through both instances (${INSTANCES[*]}) and the gateway ($gw)"
else
  pass "echo through both instances (${INSTANCES[*]}); no gateway deployed (no KrakenD binary)"
fi

# ---------------------------------------------------------------------------------------------
step "3. Prometheus: two up == 1 targets, then every dashboard query has data"
PROM="http://$(service_addrs prometheus | head -1)"
[ "$PROM" != "http://" ] || fail "'prometheus' is not in Nomad's catalogue"
"${HTTP[@]}" prom-wait --prom "$PROM" --query 'up{job="prototype"}' --series 2 --value 1 --timeout 60
"${HTTP[@]}" prom-wait --prom "$PROM" --query 'up{job="nomad"}' --series 1 --value 1 --timeout 60
"${HTTP[@]}" prom-wait --prom "$PROM" --query 'up{job="node-exporter"}' --series 1 --value 1 --timeout 60
"${HTTP[@]}" burst "${INSTANCES[@]}"
# Two scrapes after the burst so that rates over it exist.
sleep 5
"${HTTP[@]}" dashboards --prom "$PROM" --dir "$REPO/packs/grafana/dashboards"
pass "Prometheus at $PROM scrapes both instances, the Nomad agent and node_exporter; every dashboard query returns data"

# ---------------------------------------------------------------------------------------------
step "3b. the cluster observed: Alertmanager active in Prometheus, Nomad and node_exporter series"
check_observed
pass "$OBSERVED"

# ---------------------------------------------------------------------------------------------
step "4. rolling update under a continuous client, directly and through the gateway"
rolling_update --nomad "$NOMAD_ADDR"

# ---------------------------------------------------------------------------------------------
step "5. kill -9 one service process: Nomad restarts it, the other keeps answering, Prometheus sees it back"
victim="${INSTANCES[0]}"
other="${INSTANCES[1]}"
vport=${victim##*:}
vpid=$(ss -Hltnp "sport = :$vport" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$vpid" ] || fail "no process listens on $victim"
[ "$(readlink "/proc/$vpid/exe")" = "$SERVICE_BIN" ] || fail "PID $vpid on $victim is $(readlink "/proc/$vpid/exe"), not the service binary"
valloc=$(api "service/prototype" | jq -r --arg p "$vport" '.[] | select((.Port|tostring) == $p) | .AllocID')
restarts_before=$(api "allocation/$valloc" | jq '.TaskStates[].Restarts' | head -1)
log "killing PID $vpid ($victim, alloc ${valloc:0:8}, restarts so far: $restarts_before)"
kill -KILL "$vpid"
deadline=$((SECONDS + 120))
sent=0 back=""
saw_down=no
while [ $SECONDS -lt $deadline ]; do
  "${HTTP[@]}" echo "$other" >/dev/null || fail "request to the surviving instance $other failed while $victim was down"
  sent=$((sent + 1))
  if [ $saw_down = no ] && [ "$(curl -s --max-time 2 "$PROM/api/v1/query" --data-urlencode "query=up{job=\"prototype\",instance=\"$victim\"}" | jq -r '.data.result[0].value[1] // empty')" = 0 ]; then
    saw_down=yes
    log "Prometheus sees $victim down (up == 0)"
  fi
  npid=$(ss -Hltnp "sport = :$vport" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)
  if [ -n "$npid" ] && [ "$npid" != "$vpid" ] && curl -fs --max-time 2 "http://$victim/health" >/dev/null; then
    back=$npid
    break
  fi
  sleep 0.5
done
[ -n "$back" ] || fail "$victim did not come back within 120s after kill -9 of PID $vpid"
# Back for good: the same PID with both Nomad checks passing three polls in a row, and exactly one
# restart (a second one, e.g. from check_restart counting the failures of the restart delay, is
# another outage).
stable=0
while [ $SECONDS -lt $deadline ] && [ $stable -lt 3 ]; do
  sleep 2
  npid=$(ss -Hltnp "sport = :$vport" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)
  checks=$(api "allocation/$valloc/checks" | jq -r '[.[] | "\(.Check)=\(.Status)"] | sort | join(" ")')
  if [ "$npid" = "$back" ] && [ "$checks" = "health=success ready=success" ]; then
    stable=$((stable + 1))
  else
    stable=0
    [ -z "$npid" ] || back=$npid
  fi
done
events=$(api "allocation/$valloc" | jq -r '[.TaskStates[].Events[] | select(.Time > 0) | .Type + ": " + .DisplayMessage] | .[-6:] | join("; ")')
[ $stable -ge 3 ] || fail "$victim did not stay up with passing checks after its restart (events: $events)"
restarts_after=$(api "allocation/$valloc" | jq '.TaskStates[].Restarts' | head -1)
[ "$restarts_after" = $((restarts_before + 1)) ] \
  || fail "one kill -9 led to $((restarts_after - restarts_before)) restarts of alloc ${valloc:0:8} (events: $events)"
log "$victim is back as PID $back, checks passing (Nomad restarts: $restarts_before -> $restarts_after); $sent requests to $other all answered meanwhile"
"${HTTP[@]}" prom-wait --prom "$PROM" --query "up{job=\"prototype\",instance=\"$victim\"}" --series 1 --value 1 --timeout 60
"${HTTP[@]}" echo "$victim"
pass "kill -9 of PID $vpid: restarted by Nomad as PID $back, $sent/$sent requests to $other ok meanwhile, Prometheus saw it down: $saw_down, and up again"

# ---------------------------------------------------------------------------------------------
step "5b. an instance stops answering: InstanceDown fires, reaches the webhook receiver, resolves"
check_alert_delivery
pass "$ALERTING"

# ---------------------------------------------------------------------------------------------
step "plan of the default stack ($STACK with every component's defaults: consul + Connect + docker)"
# Nomad's dry run names the first filter that excludes the node: on this machine that must be the
# docker driver or Consul (its attributes, or the CNI bridge network Connect needs), nothing else.
rc=0
out=$(np plan "$STACK" 2>&1) || rc=$?
echo "$out" >"$CLUSTER_DIR/plan-$STACK.log"
# Exit codes: 0 no change, 1 changes, 255 error (the server refused a job or the render failed).
[ $rc -le 1 ] || { tail -n 20 "$CLUSTER_DIR/plan-$STACK.log" >&2; fail "nomad-pack plan $STACK: exit $rc (see above)"; }
grep -q "Plan succeeded" <<<"$out" || fail "nomad-pack plan $STACK did not succeed (log: $CLUSTER_DIR/plan-$STACK.log)"
for job in "${STACK_COMPONENTS[@]}"; do
  grep -q "Job: \"$job\"" <<<"$out" || fail "nomad-pack plan $STACK did not plan job $job (log: $CLUSTER_DIR/plan-$STACK.log)"
done
problems=$(sed -n 's/^.*\* \(.*\)$/\1/p' <<<"$out" | sort | uniq -c | sed 's/^ *//')
unexpected=$(grep -v -E 'Constraint "missing drivers"|consul|Constraint "missing network"|cni' <<<"$problems" || true)
[ -z "$unexpected" ] || fail "nomad-pack plan $STACK reports unexpected problems: $unexpected (log: $CLUSTER_DIR/plan-$STACK.log)"
echo "  placement problems: ${problems:-none}" | tr '\n' ' '
echo
pass "nomad-pack plan $STACK: ${#STACK_COMPONENTS[@]} jobs planned (exit $rc), only missing-docker/Consul placement problems"

# ---------------------------------------------------------------------------------------------
step "6. nomad-pack destroy removes every job; the agent stops cleanly"
destroy_deployed
wait_allocs_stopped
rm -f "$DEPLOYED_FILE"
stop_agent
grep -q "agent: shutdown complete" "$AGENT_LOG" || fail "the agent log does not end with 'shutdown complete'"
unmount_leftovers
reap_leftovers || fail "processes were left behind after the agent stopped (killed, see above)"
[ -z "$(findmnt -rn -o TARGET | grep -F "$CLUSTER_DIR/" || true)" ] || fail "mounts left under $CLUSTER_DIR"
pass "every job destroyed, agent stopped (shutdown complete), no process or mount left"

# ---------------------------------------------------------------------------------------------
echo
log "e2e passed in $((SECONDS - T0))s"
printf '  %s\n' "${RESULTS[@]}"
echo "Closing note: rolling update: $ROLLING${GW_ROLLING:+ ($GW_ROLLING)}; $ALERTING; $OBSERVED; e2e duration $((SECONDS - T0))s."
