# shellcheck shell=bash
# Sourced by both e2e lanes: a lane is a sequence of named steps; `pass` records a result for the
# closing summary, `fail` stops the lane (its EXIT trap cleans up and names the step).
STEP="start"
RESULTS=()

step() {
  STEP="$*"
  echo
  log "== $STEP"
}
pass() {
  RESULTS+=("ok: $*")
  log "ok: $*"
}
fail() {
  echo "error: $*" >&2
  exit 1
}

# nomad-pack destroy of everything the lane deployed (the stack), then no job may be left.
destroy_deployed() {
  local pack args left
  while read -r pack; do
    mapfile -t args < <(pack_args "$pack")
    np destroy "$pack" "${args[@]}" >"$CLUSTER_DIR/destroy-$pack.log" 2>&1 \
      || { cat "$CLUSTER_DIR/destroy-$pack.log" >&2; fail "nomad-pack destroy $pack failed"; }
    log "nomad-pack destroy $pack: ok"
  done <"$DEPLOYED_FILE"
  left=$(api jobs | jq -r '[.[] | select(.Status != "dead") | .ID] | join(" ")')
  [ -z "$left" ] || fail "jobs still there after nomad-pack destroy: $left"
}
