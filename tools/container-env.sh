# shellcheck shell=bash
# Sourced by tools/image.sh, tools/base-images.sh and tests/images.sh: picks the container
# engine (docker when a Docker engine answers, else podman, else buildah) and, for podman, keeps
# the project's own storage and configuration under the cache dir so that a fresh machine gets
# the same setup from these scripts (nothing in /etc is edited).
#
# After `container_engine_init`:
#   ENGINE         docker | podman | buildah
#   CTR            the engine command with the project's flags (storage root, runtime, cgroups),
#                  an array, for `timeout`/`nice` which cannot run shell functions
#   ctr ARGS...    runs "${CTR[@]}" ARGS...
# With podman as root the setup is: vfs storage (no overlay needed), runc, cgroupfs, file event
# log, and default ulimits that fit inside this process' hard limits.

# shellcheck disable=SC2034  # variables used by the scripts that source this file
PODMAN_HOME="${PODMAN_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/nomad-rust-observability/podman}"
BASE_CACHE="$PODMAN_HOME/base"
# Podman refuses a runroot path longer than 50 characters, so the volatile state lives in /run
# (or $XDG_RUNTIME_DIR for non-root users), not under the cache dir.
if [ "$(id -u)" = 0 ]; then PODMAN_RUNROOT="${PODMAN_RUNROOT:-/run/nro-podman}"
else PODMAN_RUNROOT="${PODMAN_RUNROOT:-${XDG_RUNTIME_DIR:-/tmp}/nro-podman}"; fi

_podman_write_config() {
  mkdir -p "$PODMAN_HOME/root" "$PODMAN_RUNROOT" "$PODMAN_HOME/tmp" "$BASE_CACHE"
  local nofile nproc
  nofile="$(ulimit -Hn)"; nproc="$(ulimit -Hu)"
  [ "$nofile" = unlimited ] && nofile=1048576
  [ "$nproc" = unlimited ] && nproc=65536
  # Soft = hard = min(hard limit, a cap): podman would otherwise ask for 1048576 open files and
  # 4194304 processes, which runc cannot set when root lacks CAP_SYS_RESOURCE (as in some VMs and
  # CI containers) and the hard limit is lower. 32768 processes is what such a machine was seen
  # to grant the container's init (65536 was refused although `ulimit -Hu` said 96365).
  [ "$nofile" -gt 65536 ] && nofile=65536
  [ "$nproc" -gt 32768 ] && nproc=32768
  cat >"$PODMAN_HOME/containers.conf.new" <<EOF
# Written by tools/container-env.sh: podman settings for this project only.
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
log_driver = "k8s-file"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
tmp_dir = "$PODMAN_HOME/tmp"

[network]
network_backend = "netavark"
EOF
  cat >"$PODMAN_HOME/storage.conf.new" <<EOF
# Written by tools/container-env.sh: image and container storage for this project only.
[storage]
driver = "vfs"
graphroot = "$PODMAN_HOME/root"
runroot = "$PODMAN_RUNROOT"
EOF
  local f
  for f in containers.conf storage.conf; do
    if cmp -s "$PODMAN_HOME/$f.new" "$PODMAN_HOME/$f"; then rm -f "$PODMAN_HOME/$f.new"
    else mv "$PODMAN_HOME/$f.new" "$PODMAN_HOME/$f"; fi
  done
  export CONTAINERS_CONF="$PODMAN_HOME/containers.conf"
  export CONTAINERS_STORAGE_CONF="$PODMAN_HOME/storage.conf"
}

container_engine_init() {
  local want="${CONTAINER_ENGINE:-}"
  if [ -z "$want" ]; then
    if command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1; then want=docker
    elif command -v podman >/dev/null 2>&1; then want=podman
    elif command -v buildah >/dev/null 2>&1; then want=buildah
    else
      echo "error: no container engine: no Docker engine answers 'docker info', and neither podman" \
           "nor buildah is installed (Debian: apt-get install podman runc)" >&2
      return 1
    fi
  fi
  ENGINE="$want"
  case "$ENGINE" in
    docker) CTR=(docker) ;;
    podman)
      _podman_write_config
      CTR=(podman --root "$PODMAN_HOME/root" --runroot "$PODMAN_RUNROOT" --storage-driver vfs
           --runtime runc --cgroup-manager cgroupfs --events-backend file)
      ;;
    buildah)
      _podman_write_config
      CTR=(buildah --root "$PODMAN_HOME/root" --runroot "$PODMAN_RUNROOT" --storage-driver vfs)
      ;;
    *) echo "error: CONTAINER_ENGINE must be docker, podman or buildah (got '$ENGINE')" >&2; return 1 ;;
  esac
}

ctr() { "${CTR[@]}" "$@"; }

# image_exists REF: true when the engine's store has that image.
image_exists() {
  case "$ENGINE" in
    docker|podman) ctr image inspect "$1" >/dev/null 2>&1 ;;
    buildah) ctr inspect --type image "$1" >/dev/null 2>&1 ;;
  esac
}

# image_size_mb REF: the image's size in MB (decimal, as docker/podman print it).
image_size_mb() {
  local bytes
  bytes="$(ctr image inspect --format '{{.Size}}' "$1" 2>/dev/null | head -n1)"
  [ -n "$bytes" ] || { echo "?"; return; }
  awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1000000 }'
}

# prune_dangling: drops untagged images nothing refers to (old build chains). With vfs every layer
# is a full copy of the file system, so a few rebuilds of the Rust builder stage would otherwise
# take gigabytes each. Only the project's own store is touched; a Docker engine's cache is left
# to its owner.
prune_dangling() {
  case "$ENGINE" in
    podman) ctr image prune -f >/dev/null 2>&1 || true ;;
    buildah) ctr rmi --prune >/dev/null 2>&1 || true ;;
  esac
}

# The firewall chains that podman's netavark, CNI's portmap and firewall plugins and Nomad's bridge
# networking create on first use and never remove (as table:chain). The tests and the mesh note
# which exist before they start (ipt_chains) and remove the ones they brought
# (ipt_remove_new_chains), so that a run leaves the firewall as it found it.
IPT_PLUGIN_CHAINS="nat:NETAVARK-HOSTPORT-DNAT nat:NETAVARK-HOSTPORT-MASQ nat:NETAVARK-HOSTPORT-SETMARK
filter:NETAVARK_FORWARD nat:CNI-HOSTPORT-DNAT nat:CNI-HOSTPORT-MASQ nat:CNI-HOSTPORT-SETMARK
filter:CNI-FORWARD filter:NOMAD-ADMIN"

# ipt_chains: those of IPT_PLUGIN_CHAINS that exist, comma-separated (nothing without root).
ipt_chains() {
  local tc found=()
  if [ "$(id -u)" = 0 ] && command -v iptables >/dev/null 2>&1; then
    for tc in $IPT_PLUGIN_CHAINS; do
      iptables -t "${tc%%:*}" -S "${tc#*:}" >/dev/null 2>&1 && found+=("$tc")
    done
  fi
  local IFS=,
  echo "${found[*]}"
}

# ipt_remove_new_chains BEFORE: removes the chains that exist now but not in BEFORE (an ipt_chains
# list), and the rules that jump to them, unless one still holds a rule of a container or an
# allocation (anything but jumps among them and the plugins' fixed MARK/MASQUERADE rules): then
# they are left in place with a warning.
ipt_remove_new_chains() {
  local tc rule target table chain builtin i new=()
  local -a rules
  for tc in $(ipt_chains | tr , ' '); do [[ ",$1," == *",$tc,"* ]] || new+=("$tc"); done
  for tc in "${new[@]}"; do
    while read -r rule; do
      target=${rule##*-j }; target=${target%% *}
      [[ " ${new[*]} " == *" ${tc%%:*}:$target "* || "$target" == MARK || "$target" == MASQUERADE ]] && continue
      echo "warning: firewall chain ${tc#*:} still holds '$rule': left in place" >&2
      return 0
    done < <(iptables -t "${tc%%:*}" -S "${tc#*:}" | grep '^-A ')
  done
  for tc in "${new[@]}"; do
    table=${tc%%:*}; chain=${tc#*:}
    for builtin in PREROUTING INPUT FORWARD OUTPUT POSTROUTING; do
      mapfile -t rules < <(iptables -t "$table" -S "$builtin" 2>/dev/null | grep '^-A ')
      for ((i = ${#rules[@]}; i >= 1; i--)); do
        [[ "${rules[i-1]} " == *" -j $chain "* ]] && iptables -t "$table" -D "$builtin" "$i"
      done
    done
  done
  for tc in "${new[@]}"; do iptables -t "${tc%%:*}" -F "${tc#*:}"; done
  for tc in "${new[@]}"; do iptables -t "${tc%%:*}" -X "${tc#*:}"; done
}
