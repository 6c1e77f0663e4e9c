#!/usr/bin/env bash
# Proof that the service images work (`make test-images`): builds service/Dockerfile (multi-stage)
# and service/Dockerfile.local (host build) with podman, runs each image with its port published
# on 127.0.0.1 only, and checks GET /health, POST /echo, the layout (/etc/prototype-service,
# /opt/prototype-service/app), that the process runs as a non-root user, that it runs with a
# read-only root filesystem and no capabilities, and that SIGTERM stops it with exit code 0
# within a few seconds. Also checks that a source edit reuses the cached dependency layer, and
# tries the efk pack's Fluentd image, reported as NOT BUILT when its base image is unavailable.
#
# Base images cannot be pulled on the CI machines: tools/base-images.sh makes LOCAL STAND-INS for
# debian:bookworm-slim and rust:1.95.0-slim-bookworm from Debian packages and this machine's Rust
# toolchain, cached under ~/.cache/nomad-rust-observability/podman between runs.
#
# Usage: tests/images.sh              build both images and check them (make test-images)
#        tests/images.sh --check IMAGE  only run the container checks on an existing image
# Exit status: 0 when every check passed (the Fluentd image may be NOT BUILT), 1 when any failed,
# 2 when no container engine is usable (nothing was tested).
set -uo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "$0")/../tools/env.sh"
# shellcheck source=tools/container-env.sh
source "$REPO/tools/container-env.sh"

if [ -z "${CONTAINER_ENGINE:-}" ]; then
  if command -v podman >/dev/null 2>&1; then CONTAINER_ENGINE=podman
  elif command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1; then CONTAINER_ENGINE=docker
  else echo "test-images: NOT RUN: neither podman nor a Docker engine is available (Debian: apt-get install podman runc)" >&2; exit 2
  fi
fi
export CONTAINER_ENGINE
container_engine_init || exit 2
[ "$ENGINE" != buildah ] || { echo "test-images: NOT RUN: buildah cannot run containers; use podman or docker" >&2; exit 2; }

TEST_IMAGE="${TEST_IMAGE:-localhost/prototype-service-test}"
RUN_ID="$$"
STOP_DEADLINE=10      # seconds a container gets to exit after SIGTERM
declare -a CONTAINERS=() SIZES=() TIMES=()
PASS=0 FAIL=0 NOTBUILT=0

# The firewall chains podman's netavark creates for a published port stay after the container
# goes: cleanup removes those this run brought.
IPT_BEFORE=$(ipt_chains)

cleanup() {
  local c
  for c in "${CONTAINERS[@]}"; do ctr rm -f "$c" >/dev/null 2>&1 || true; done
  ipt_remove_new_chains "$IPT_BEFORE"
  [ -n "${EDIT_CTX:-}" ] && rm -rf "$EDIT_CTX"
}
trap cleanup EXIT

pass() { echo "  ok    $*"; PASS=$((PASS + 1)); }
fail() { echo "  FAIL  $*"; FAIL=$((FAIL + 1)); }
now_ms() { date +%s%3N; }

echo "== test-images with $ENGINE ($(${ENGINE} --version 2>/dev/null | head -n 1))"
if [ "$ENGINE" = podman ]; then
  echo "   store: $PODMAN_HOME (vfs, runc, cgroupfs; config $CONTAINERS_CONF)"
  echo "== base images: LOCAL STAND-INS for the official debian and rust images (tools/base-images.sh)"
  t0=$SECONDS
  if ! "$REPO/tools/base-images.sh" all; then echo "test-images: FAIL: could not make the base images" >&2; exit 1; fi
  TIMES+=("base images (stand-ins): $((SECONDS - t0)) s")
fi

# build NAME MODE TAG: tools/image.sh MODE with IMAGE/TAG set; records time and size.
build() {
  local name="$1" mode="$2" tag="$3" log
  local t0=$SECONDS
  log="$(mktemp)"
  echo "== build $name: tools/image.sh $mode -> $TEST_IMAGE:$tag"
  if IMAGE="$TEST_IMAGE" TAG="$tag" CONTAINER_ENGINE="$ENGINE" "$REPO/tools/image.sh" "$mode" >"$log" 2>&1; then
    grep -E '^image: ' "$log" | sed 's/^/   /'
    TIMES+=("build $name: $((SECONDS - t0)) s")
    local mb; mb="$(image_size_mb "$TEST_IMAGE:$tag")"
    SIZES+=("$TEST_IMAGE:$tag ($name): $mb MB")
    pass "$name image builds"
    # The goal for a runtime image on Debian slim.
    if awk -v m="$mb" 'BEGIN { exit !(m + 0 > 0 && m + 0 < 100) }'; then pass "$name image is under 100 MB ($mb MB)"
    else fail "$name image is $mb MB, the goal is under 100 MB on debian-slim"; fi
    rm -f "$log"; return 0
  fi
  tail -n 30 "$log" | sed 's/^/   | /'
  fail "$name image build failed (tools/image.sh $mode; last lines above)"
  rm -f "$log"; return 1
}

# check_image NAME REF: runs the image and checks it from the outside.
check_image() {
  local name="$1" ref="$2" port body out uid exit_code t0 t1 state
  local c="prototype-test-$name-$RUN_ID"
  echo "== run $name ($ref)"
  # Hardened like a production job: read-only root, no capabilities, no privilege escalation.
  if ! ctr run -d --name "$c" -p 127.0.0.1::8001 --read-only --cap-drop ALL \
        --security-opt no-new-privileges "$ref" >/dev/null; then
    fail "$name: the container does not start"; return
  fi
  CONTAINERS+=("$c")
  port="$(ctr port "$c" 8001/tcp 2>/dev/null | head -n 1)"
  case "$port" in
    127.0.0.1:*) pass "$name: port 8001 published on loopback only ($port)" ;;
    *) fail "$name: port 8001 is published as '$port', expected 127.0.0.1:<port>"; return ;;
  esac
  local url="http://$port"

  # Ready within 30 s.
  local deadline=$((SECONDS + 30)) ok=0
  while [ $SECONDS -lt $deadline ]; do
    body="$(curl -fsS --max-time 2 "$url/health" 2>/dev/null)" && { ok=1; break; }
    state="$(ctr inspect --format '{{.State.Status}}' "$c" 2>/dev/null)"
    [ "$state" = running ] || break
    sleep 0.5
  done
  if [ $ok = 1 ] && printf '%s' "$body" | jq -e '.status == "UP"' >/dev/null 2>&1; then
    pass "$name: GET /health -> $body"
  else
    fail "$name: GET /health did not answer {\"status\":\"UP\"} within 30 s (got '${body:-nothing}', container ${state:-?})"
    ctr logs "$c" 2>&1 | tail -n 15 | sed 's/^/   | /'
    return
  fi

  out="$(curl -fsS --max-time 5 -X POST -H 'Content-Type: text/plain' --data 'Hola mundo' "$url/echo" 2>&1)"
  if [ "$out" = "Hola mundo" ]; then pass "$name: POST /echo 'Hola mundo' -> '$out'"
  else fail "$name: POST /echo 'Hola mundo' answered '$out'"; fi

  # The service process (PID 1 in the container) and `id -u` inside it.
  uid="$(ctr exec "$c" cat /proc/1/status 2>/dev/null | awk '/^Uid:/ {print $2 "/" $3}')"
  out="$(ctr exec "$c" id -u 2>/dev/null)"
  if [ -n "$uid" ] && [ "${uid%%/*}" != 0 ] && [ "${uid##*/}" != 0 ] && [ -n "$out" ] && [ "$out" != 0 ]; then
    pass "$name: runs as non-root (process uid real/effective $uid, id -u $out)"
  else
    fail "$name: process uid '$uid', id -u '$out': expected a non-zero uid"
  fi

  out="$(ctr exec "$c" sh -c 'ls -l /opt/prototype-service/app && ls /etc/prototype-service/' 2>&1)"
  if ctr exec "$c" test -x /opt/prototype-service/app && ctr exec "$c" test -d /etc/prototype-service; then
    pass "$name: binary at /opt/prototype-service/app, config in /etc/prototype-service/ ($(printf '%s' "$out" | tail -n +2 | tr '\n' ' '))"
  else
    fail "$name: layout: $out"
  fi

  local stopsig
  stopsig="$(ctr image inspect --format '{{.Config.StopSignal}}' "$ref" 2>/dev/null)"
  if [ "$stopsig" = SIGTERM ]; then pass "$name: image STOPSIGNAL is SIGTERM"
  else fail "$name: image STOPSIGNAL is '$stopsig', expected SIGTERM"; fi

  # SIGTERM: exits by itself with 0, well before the engine would resort to SIGKILL.
  t0="$(now_ms)"
  ctr kill --signal TERM "$c" >/dev/null
  exit_code="$(timeout "$STOP_DEADLINE" "${CTR[@]}" wait "$c" 2>/dev/null | tail -n 1)"
  t1="$(now_ms)"
  if [ "$exit_code" = 0 ]; then
    pass "$name: SIGTERM -> exit 0 in $((t1 - t0)) ms"
  else
    fail "$name: SIGTERM -> exit code '${exit_code:-none within ${STOP_DEADLINE} s}'"
  fi
  # The prod profile the image selects logs one JSON object per line (what Fluentd parses), with
  # an access-log line for the echo request.
  local logs bad
  logs="$(ctr logs "$c" 2>&1)"
  bad="$(printf '%s\n' "$logs" | grep -v '^$' | jq -R -c 'fromjson? // "NOT JSON: \(.)" | if type == "object" and has("timestamp") and has("level") and has("message") then empty else . end' 2>&1 | head -n 3)"
  if [ -n "$logs" ] && [ -z "$bad" ]; then
    pass "$name: every log line is a JSON object with timestamp, level, message ($(printf '%s\n' "$logs" | grep -c .) lines)"
  else
    fail "$name: log lines that are not JSON objects with timestamp/level/message: ${bad:-no log output}"
  fi
  if printf '%s\n' "$logs" | jq -R -e -s '[split("\n")[] | fromjson? | select(.method == "POST" and .path == "/echo" and .status == 200)] | length > 0' >/dev/null 2>&1; then
    pass "$name: access log has the POST /echo request (method, path, status)"
  else
    fail "$name: no JSON access-log line with method POST, path /echo, status 200"
  fi
  echo "   last log lines:"
  printf '%s\n' "$logs" | tail -n 2 | cut -c1-200 | sed 's/^/   | /'
}


# A source edit must reuse the dependency layer: rebuild from a copy of the context whose main.rs
# has one more comment line, and look at what the engine did with the dependency step.
check_dependency_cache() {
  local tag="$1" log t0
  echo "== dependency layer survives a source edit"
  EDIT_CTX="$(mktemp -d)"
  mkdir -p "$EDIT_CTX/service"
  tar -C "$REPO/service" --exclude=./target -cf - . | tar -C "$EDIT_CTX/service" -xf -
  printf '\n// edited by tests/images.sh %s\n' "$RUN_ID" >>"$EDIT_CTX/service/src/main.rs"
  log="$(mktemp)"
  t0=$SECONDS
  local secret=()
  [ -s /etc/ssl/certs/ca-certificates.crt ] && secret=(--secret "id=cacert,src=/etc/ssl/certs/ca-certificates.crt")
  local extra=()
  [ "$ENGINE" = podman ] && extra=(--format docker --layers --pull=never)
  if nice -n 10 "${CTR[@]}" build -f "$EDIT_CTX/service/Dockerfile" -t "$TEST_IMAGE:$tag-edited" \
       "${extra[@]}" "${secret[@]}" "$EDIT_CTX/service" >"$log" 2>&1; then
    TIMES+=("build multi-stage after a source edit: $((SECONDS - t0)) s")
    # podman: the line after the dependency step says "--> Using cache"; docker: "CACHED".
    if grep -A1 -E 'RUN .*mkdir -p src' "$log" | grep -qE 'Using cache|CACHED' \
       && ! grep -qE 'Compiling (actix-web|tokio|serde) ' "$log"; then
      pass "dependency layer reused after a source edit (only prototype-service recompiled, $((SECONDS - t0)) s)"
    else
      fail "dependency layer rebuilt after a source edit (see the build log excerpt)"
      grep -E 'STEP|Using cache|Compiling' "$log" | head -n 20 | sed 's/^/   | /'
    fi
    ctr rmi "$TEST_IMAGE:$tag-edited" >/dev/null 2>&1 || true
    prune_dangling
  else
    tail -n 20 "$log" | sed 's/^/   | /'
    fail "multi-stage rebuild after a source edit failed"
  fi
  rm -f "$log"
}


if [ "${1:-}" = --check ]; then
  [ -n "${2:-}" ] || { echo "usage: tests/images.sh [--check IMAGE]" >&2; exit 2; }
  image_exists "$2" || { echo "test-images: image '$2' not found in the $ENGINE store" >&2; exit 2; }
  check_image checked "$2"
  echo "== test-images --check $2: $PASS passed, $FAIL failed"
  [ "$FAIL" = 0 ]; exit
fi

if build multistage multistage multistage; then
  check_image multistage "$TEST_IMAGE:multistage"
  check_dependency_cache multistage
fi
if build local local local; then
  check_image local "$TEST_IMAGE:local"
fi

echo "== Fluentd image (packs/efk/fluentd/Dockerfile)"
flog="$(mktemp)"
if [ ! -f "$REPO/packs/efk/fluentd/Dockerfile" ]; then
  echo "  NOT BUILT  packs/efk/fluentd/Dockerfile does not exist"
  NOTBUILT=$((NOTBUILT + 1))
elif IMAGE=localhost/efk-fluentd-test TAG=test CONTAINER_ENGINE="$ENGINE" "$REPO/tools/image.sh" fluentd >"$flog" 2>&1; then
  grep -E '^image: ' "$flog" | sed 's/^/   /'
  SIZES+=("localhost/efk-fluentd-test:test (fluentd): $(image_size_mb localhost/efk-fluentd-test:test) MB")
  pass "fluentd image builds"
elif grep -q 'cannot be built on this machine' "$flog"; then
  echo "  NOT BUILT  $(grep -E '^error: ' "$flog" | tail -n 1 | sed 's/^error: //')"
  NOTBUILT=$((NOTBUILT + 1))
else
  tail -n 20 "$flog" | sed 's/^/   | /'
  fail "fluentd image build failed for another reason than a missing base image"
fi
rm -f "$flog"

echo "== image sizes"
for s in "${SIZES[@]}"; do echo "   $s"; done
echo "== times"
for s in "${TIMES[@]}"; do echo "   $s"; done
[ "$ENGINE" = podman ] && echo "   (base images are LOCAL STAND-INS built from Debian packages, not the official images)"
echo "== test-images: $PASS passed, $FAIL failed, $NOTBUILT not built here"
[ "$FAIL" = 0 ]
