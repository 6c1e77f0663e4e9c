# shellcheck shell=bash
# The Consul Connect mesh of `make up MESH=1` and `make e2e-mesh` (tests/e2e/e2e-mesh.sh): sourced by
# tools/cluster.sh when MESH=1, it adds to the dev agent what the packs' default mode needs, all of
# it on this machine only:
#   - an interface MESH_HOST_IF with MESH_HOST_ADDR: the node's address (network_interface); a
#     bridge without ports (always up, and the kernels here have no dummy driver, as CNI's needs bridges).
#     Services registered at 127.0.0.1 would be unreachable from the allocations' own namespaces,
#     so the node needs an address of its own; host ports bind there (bind_wildcard_default_host_network
#     = false), never on the machine's other interfaces. The ingress gateway's port binds to
#     127.0.0.1 through the host_network "loopback".
#   - bridge networking on the bridge MESH_BRIDGE with MESH_SUBNET, the CNI plugins of tools/build-cni.sh;
#   - Nomad's docker driver on podman's API (tools/podman-api.sh) with the local images of
#     tools/mesh-images.sh (pause, Envoy for sidecars and gateways, gateway, Prometheus) and
#     `make image`'s service image;
#   - a Consul dev agent (tools/build-consul.sh) with Connect and gRPC, also listening on
#     MESH_HOST_ADDR for Prometheus' consul_sd inside its namespace, and the `consul` binary on the
#     agent's PATH (Nomad's Envoy bootstrap runs `consul connect envoy -bootstrap`);
#   - the Consul config entries of packs/prototype_service/consul/ (HTTP protocol, retries).
# Only one mesh runs on a machine at a time (Nomad's CNI network is always named "nomad").
#
# Environment: MESH_BRIDGE (nomadmesh), MESH_SUBNET (10.231.0.0/24), MESH_HOST_IF (nomadmesh0),
# MESH_HOST_ADDR (10.231.1.1), MESH_INGRESS_PORT (8080: the API on 127.0.0.1), CONSUL_HTTP_PORT (8500).

# A running mesh's settings, written by mesh_up, so that `make down` removes what `make up` made.
MESH_MARKER="$CLUSTER_DIR/mesh.env"
# shellcheck source=/dev/null
[ ! -f "$MESH_MARKER" ] || source "$MESH_MARKER"
MESH_BRIDGE="${MESH_BRIDGE:-nomadmesh}"
MESH_SUBNET="${MESH_SUBNET:-10.231.0.0/24}"
MESH_HOST_IF="${MESH_HOST_IF:-nomadmesh0}"
MESH_HOST_ADDR="${MESH_HOST_ADDR:-10.231.1.1}"
MESH_INGRESS_PORT="${MESH_INGRESS_PORT:-8080}"
CONSUL_HTTP_PORT="${CONSUL_HTTP_PORT:-8500}"
# Consul listens on loopback and on the node's address (reached from the allocations' namespaces);
# start_consul in tools/cluster.sh reads it.
# shellcheck disable=SC2034
CONSUL_CLIENT_ADDR="127.0.0.1 $MESH_HOST_ADDR"
MESH_IMAGES_FILE="$CLUSTER_DIR/mesh-images"
# The Docker label Nomad's docker driver puts on every container it makes.
MESH_ALLOC_LABEL=com.hashicorp.nomad.alloc_id

# shellcheck source=tools/podman-api.sh
source "$REPO/tools/podman-api.sh"

# _mesh_value KEY FILE: the value of KEY=... in FILE.
_mesh_value() { sed -n "s/^$1=//p" "$2" | tail -1; }
# The firewall chains recorded by this mesh's first `up` (mesh_down removes the ones added since);
# fails when there is no marker or it has no record.
_mesh_ipt_before() { [ -f "$MESH_MARKER" ] && grep -q '^MESH_IPT_BEFORE=' "$MESH_MARKER" && _mesh_value MESH_IPT_BEFORE "$MESH_MARKER"; }

# The HTTP status of one POST /v1/echo through the ingress gateway (000 when nothing answers).
mesh_ingress_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 3 -d 'Hola mundo' "http://127.0.0.1:$MESH_INGRESS_PORT/v1/echo" || true
}

# The service image `make image` builds (the prototype_service pack's default image name).
mesh_service_image() {
  echo "prototype-service:$(sed -n '/^\[package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$REPO/service/Cargo.toml" | head -1)"
}

# Builds (or reuses) everything the mesh needs and brings up the host side: dummy interface,
# podman's API; sets CONSUL for start_consul.
mesh_up() {
  local out
  { command -v ip && command -v iptables; } >/dev/null || die "the mesh needs ip and iptables (apt-get install iproute2 iptables)"
  if ip link show "$MESH_BRIDGE" >/dev/null 2>&1 && [ ! -f "$MESH_MARKER" ]; then
    die "bridge $MESH_BRIDGE exists but is not this cluster's ($CLUSTER_DIR): another mesh is running (make down, or the other lane); only one mesh fits on a machine"
  fi
  # The firewall chains there before the first `up` of this mesh, for mesh_down.
  local chains_before
  chains_before=$(_mesh_ipt_before) || chains_before=$(ipt_chains)
  printf '%s\n' "MESH_BRIDGE=$MESH_BRIDGE" "MESH_SUBNET=$MESH_SUBNET" "MESH_HOST_IF=$MESH_HOST_IF" \
    "MESH_HOST_ADDR=$MESH_HOST_ADDR" "MESH_INGRESS_PORT=$MESH_INGRESS_PORT" "CONSUL_HTTP_PORT=$CONSUL_HTTP_PORT" \
    "MESH_IPT_BEFORE=$chains_before" >"$MESH_MARKER"
  out=$("$REPO/tools/build-cni.sh") || die "tools/build-cni.sh failed"
  MESH_CNI_PATH=$(sed -n 's/^CNI_PATH=//p' <<<"$out" | tail -1)
  resolve_tools consul
  log "building or reusing the mesh images (tools/mesh-images.sh)"
  "$REPO/tools/mesh-images.sh" >"$MESH_IMAGES_FILE" 2>"$CLUSTER_DIR/mesh-images.log" \
    || { tail -n 20 "$CLUSTER_DIR/mesh-images.log" >&2; die "tools/mesh-images.sh failed (log: $CLUSTER_DIR/mesh-images.log)"; }
  container_engine_init
  image_exists "$(mesh_service_image)" || die "the service image $(mesh_service_image) is not in the podman store: run 'make image'"
  # `consul` on the agent's PATH (start_agent in tools/cluster.sh), under that name.
  mkdir -p "$CLUSTER_DIR/bin" "$CLUSTER_DIR/cni"
  ln -sf "$CONSUL" "$CLUSTER_DIR/bin/consul"
  # shellcheck disable=SC2034
  AGENT_PATH_PREFIX="$CLUSTER_DIR/bin:"
  if ! ip link show "$MESH_HOST_IF" >/dev/null 2>&1; then
    ip link add "$MESH_HOST_IF" type bridge
    ip addr add "$MESH_HOST_ADDR/32" dev "$MESH_HOST_IF"
    ip link set "$MESH_HOST_IF" up
  fi
  podman_api_start "$CLUSTER_DIR"
  log "mesh host side up: $MESH_HOST_IF $MESH_HOST_ADDR, bridge $MESH_BRIDGE $MESH_SUBNET, podman API $CLUSTER_DIR/docker.sock"
}

# The second agent configuration file: client networking, Connect images, the docker driver.
mesh_agent_config() {
  cat <<EOF
# Written by tools/mesh.sh: the Connect mesh on this dev agent (bridge networking, docker driver on podman).
client {
  network_interface     = "$MESH_HOST_IF"
  cni_path              = "$MESH_CNI_PATH"
  cni_config_dir        = "$CLUSTER_DIR/cni"
  bridge_network_name   = "$MESH_BRIDGE"
  bridge_network_subnet = "$MESH_SUBNET"

  # Ports that ask for it bind to 127.0.0.1 (the ingress gateway); others to the node's address.
  host_network "loopback" {
    cidr = "127.0.0.1/32"
  }

  meta {
    "connect.sidecar_image" = "$(_mesh_value ENVOY_IMAGE "$MESH_IMAGES_FILE")"
    "connect.gateway_image" = "$(_mesh_value ENVOY_IMAGE "$MESH_IMAGES_FILE")"
  }
}

plugin "docker" {
  config {
    endpoint    = "unix://$CLUSTER_DIR/docker.sock"
    infra_image = "$(_mesh_value PAUSE_IMAGE "$MESH_IMAGES_FILE")"

    # The images are local builds that no registry has: never remove them.
    gc {
      image = false
    }
  }
}
EOF
}

# The nomad-pack arguments of one pack in the mesh: the packs' defaults (Consul, Connect, docker)
# plus tests/packs/<pack>/e2e-mesh.hcl and what depends on this machine.
mesh_pack_args() {
  local pack="$1"
  shift
  local args=(-f "$REPO/tests/packs/$pack/e2e-mesh.hcl")
  case "$pack" in
    krakend)
      args+=(--var "image=$(_mesh_value GATEWAY_IMAGE "$MESH_IMAGES_FILE")"
        --var "ingress={enabled = true, port = $MESH_INGRESS_PORT, host_network = \"loopback\"}")
      ;;
    prometheus)
      args+=(--var "image=$(_mesh_value PROMETHEUS_IMAGE "$MESH_IMAGES_FILE")"
        --var "consul_address=$MESH_HOST_ADDR:$CONSUL_HTTP_PORT")
      ;;
  esac
  printf '%s\n' "${args[@]}" "$@"
}

# The consul CLI against the mesh's Consul (the binary mesh_up linked into CLUSTER_DIR/bin).
mesh_consul() { CONSUL_HTTP_ADDR="http://127.0.0.1:$CONSUL_HTTP_PORT" "$CLUSTER_DIR/bin/consul" "$@"; }

# The Consul config entries the service's mesh traffic needs (before the stack is deployed).
mesh_config_entries() {
  local f
  for f in "$REPO"/packs/prototype_service/consul/*.hcl; do
    mesh_consul config write "$f" >/dev/null || die "consul config write $f failed"
    log "consul config write ${f#"$REPO"/}"
  done
}

# "component: why" for each component of the stack the mesh does not run (tools/cluster.sh's
# stack_off): the mesh has local images only for the service, the gateway and Prometheus.
mesh_stack_off() {
  echo "alertmanager: no Alertmanager image in the mesh (tools/mesh-images.sh builds the service's, gateway's and Prometheus' only)"
  echo "node_exporter: no node_exporter image in the mesh (tools/mesh-images.sh builds the service's, gateway's and Prometheus' only)"
  echo "grafana: no Grafana image here (none can be pulled)"
  echo "efk: no Elasticsearch, Fluentd or Kibana image here (none can be pulled)"
}

# Waits (bounded) until POST /v1/echo answers through the ingress gateway on 127.0.0.1: its Envoy
# gets the listener from Consul some time after the jobs' deployments are healthy (seen: no
# listener yet 4 s after a healthy krakend deployment on a loaded machine), and make up prints
# that address as the one to use.
mesh_wait_ingress() {
  local deadline=$((SECONDS + 120)) code="" t0=$SECONDS
  while [ $SECONDS -lt $deadline ]; do
    code=$(mesh_ingress_status)
    if [ "$code" = 200 ]; then
      log "ingress gateway: POST /v1/echo answers on 127.0.0.1:$MESH_INGRESS_PORT ($((SECONDS - t0))s after the deployments)"
      return 0
    fi
    sleep 1
  done
  show_job_failure krakend
  die_agent "the ingress gateway did not answer POST /v1/echo on 127.0.0.1:$MESH_INGRESS_PORT within 120s (last HTTP code: ${code:-none})"
}

mesh_print_addresses() {
  echo
  echo "Local Connect mesh is up:"
  echo "  API (ingress)    http://127.0.0.1:$MESH_INGRESS_PORT/v1/echo   (try: curl -d 'Hola mundo' -X POST http://127.0.0.1:$MESH_INGRESS_PORT/v1/echo)"
  echo "  Consul API/UI    http://127.0.0.1:$CONSUL_HTTP_PORT/ui   (CONSUL_HTTP_ADDR=http://127.0.0.1:$CONSUL_HTTP_PORT $CLUSTER_DIR/bin/consul catalog services)"
  echo "  Nomad API        $NOMAD_ADDR   (NOMAD_ADDR=$NOMAD_ADDR $NOMAD status)"
  local alloc pid
  alloc=$(api "job/prometheus/allocations" 2>/dev/null | jq -r '[.[] | select(.ClientStatus == "running")][0].ID // empty')
  pid=$(mesh_netns_pid "$alloc" || true)
  [ -z "$pid" ] || echo "  Prometheus       in its own namespace only (Connect): nsenter -t $pid -n curl -s http://127.0.0.1:9090/api/v1/targets"
  echo "  Stop everything: make down"
}

# PID of the pause container of an allocation (its network namespace is /proc/<pid>/ns/net).
mesh_netns_pid() {
  ctr inspect --format '{{.State.Pid}}' "nomad_init_$1" 2>/dev/null
}

# What of the mesh is left on the machine, one line each (nothing when clean): Nomad's containers,
# our interfaces, iptables rules naming our bridge or subnet, IP reservations of the CNI network.
mesh_leftovers() {
  local prefix="${MESH_SUBNET%.*}."
  container_engine_init
  ctr ps -a --filter "label=$MESH_ALLOC_LABEL" --format 'container {{.Names}} ({{.Status}})' 2>/dev/null || true
  ip -br link show "$MESH_BRIDGE" 2>/dev/null | sed 's/^/link /' || true
  ip -br link show "$MESH_HOST_IF" 2>/dev/null | sed 's/^/link /' || true
  { iptables-save 2>/dev/null || true; } | grep -F -e "$MESH_BRIDGE" -e "${MESH_SUBNET}" -e "$prefix" | sed 's/^/iptables /' || true
  # host-local's IP reservations (Nomad keeps them in /var/run/cni) and CNI's cached results.
  find /var/run/cni/nomad -type f -name "$prefix*" 2>/dev/null | sed 's/^/cni reservation /' || true
  grep -lF "\"$prefix" /var/lib/cni/results/nomad-* 2>/dev/null | sed 's/^/cni result /' || true
}

# Removes the host side after the agent stopped: podman's API, the bridge Nomad's CNI created, the
# node's interface, the accept rule Nomad adds for our subnet, and the firewall chains that CNI and
# Nomad created for this mesh.
mesh_down() {
  local rule
  podman_api_stop "$CLUSTER_DIR"
  while read -r rule; do
    [ -n "$rule" ] || continue
    # shellcheck disable=SC2086  # the rule's words are iptables arguments
    iptables ${rule/-A /-D } 2>/dev/null || echo "warning: could not delete iptables rule: $rule" >&2
  done < <(iptables -S NOMAD-ADMIN 2>/dev/null | grep -F -e "$MESH_SUBNET" -e "$MESH_BRIDGE" || true)
  ip link del "$MESH_BRIDGE" 2>/dev/null || true
  ip link del "$MESH_HOST_IF" 2>/dev/null || true
  local chains_before
  if chains_before=$(_mesh_ipt_before); then
    ipt_remove_new_chains "$chains_before"
  fi
  rm -f "$MESH_MARKER"
  # After a failed `up` whose agent was killed, Nomad never ran its own cleanup: remove the
  # allocations' containers, and name what else is left (CNI's iptables rules and reservations
  # need the network plugin's DEL, which only Nomad runs) instead of leaving it silently.
  local id left
  container_engine_init
  for id in $(ctr ps -a -q --filter "label=$MESH_ALLOC_LABEL" 2>/dev/null); do
    ctr rm -f "$id" >/dev/null 2>&1 || echo "warning: could not remove container $id" >&2
  done
  left=$(mesh_leftovers)
  [ -z "$left" ] || printf 'warning: left on the machine by an earlier failed run (remove them by hand, or reboot):\n%s\n' "$left" >&2
}
