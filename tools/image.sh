#!/usr/bin/env bash
# Builds the container images: `make image` (service/Dockerfile, multi-stage), `make image-local`
# (service/Dockerfile.local, from the host's `make build`), `make image-fluentd` (the efk pack's
# Fluentd image). Uses docker when a Docker engine answers, else podman, else buildah
# (CONTAINER_ENGINE=... forces one). Prints the image size at the end.
#
# Usage: tools/image.sh multistage|local|fluentd
# Exit:  0 built, 3 a base image without a local stand-in cannot be had here, other: failure
# Env:   IMAGE, TAG          image name and tag (service: prototype-service:<crate version>;
#                            fluentd: efk-fluentd:<fluentd version>-es<elastic version>)
#        SKIP_BUILD=1        local: use the existing service/target/release binary as is
#        BUILD_NETWORK=host  network of the build containers (podman/buildah), if the default
#                            private network cannot reach crates.io
# When the base images cannot be pulled (no registry access) and the engine is podman/buildah,
# local stand-ins are made from Debian packages by tools/base-images.sh, and this is said loudly.
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "$0")/env.sh"
# shellcheck source=tools/container-env.sh
source "$REPO/tools/container-env.sh"

mode="${1:-}"
case "$mode" in
  multistage|local|fluentd) ;;
  *) die "usage: tools/image.sh multistage|local|fluentd (got '${mode}')" ;;
esac

SERVICE="$REPO/service"
# The multi-stage build's builder stage, kept under this name (podman/buildah) between builds.
CACHE_REF="${CACHE_IMAGE:-localhost/prototype-service-cache}:builder"
FLUENTD_DIR="$REPO/packs/efk/fluentd"

# crate_version: the package version in service/Cargo.toml (the [package] table's first `version`).
crate_version() {
  [ -f "$SERVICE/Cargo.toml" ] || die "image: $SERVICE/Cargo.toml not found"
  local v
  v="$(awk '/^\[package\]/{p=1; next} /^\[/{p=0} p && /^version *=/{gsub(/[" ]/, "", $0); sub(/^version=/, "", $0); print; exit}' "$SERVICE/Cargo.toml")"
  [ -n "$v" ] || die "image: no version in the [package] table of $SERVICE/Cargo.toml"
  echo "$v"
}

# base_images_of DOCKERFILE: the images named by its FROM lines (ARG defaults substituted, stage
# names and scratch left out), fully qualified as docker would resolve them.
base_images_of() {
  awk '
    BEGIN { IGNORECASE = 1 }
    /^[ \t]*ARG[ \t]+[A-Za-z_][A-Za-z0-9_]*=/ {
      sub(/^[ \t]*ARG[ \t]+/, ""); n = index($0, "="); k = substr($0, 1, n - 1); v = substr($0, n + 1)
      gsub(/^"|"$/, "", v); args[k] = v; next }
    /^[ \t]*FROM[ \t]/ {
      img = ""; for (i = 2; i <= NF; i++) if ($i !~ /^--/) { img = $i; break }
      for (k in args) { gsub("\\$\\{" k "\\}", args[k], img); gsub("\\$" k "([^A-Za-z0-9_]|$)", args[k], img) }
      if (NF >= i + 2 && tolower($(i + 1)) == "as") stages[tolower($(i + 2))] = 1
      if (!(tolower(img) in stages) && img != "scratch") print img }
  ' "$1" | while read -r img; do
    case "$img" in
      */*/*|*.*/*|localhost/*) echo "$img" ;;
      */*) echo "docker.io/$img" ;;
      *) echo "docker.io/library/$img" ;;
    esac
  done | sort -u
}

# ensure_base REF STANDIN: makes REF available to the engine. Docker pulls by itself. Podman and
# buildah try a pull; when that fails, STANDIN (debian|rust) names the local stand-in that
# tools/base-images.sh can make, and "" means there is none (the build cannot happen here).
ensure_base() {
  local ref="$1" standin="$2" err
  [ "$ENGINE" = docker ] && return 0
  if image_exists "$ref"; then
    if [ "$(ctr image inspect --format '{{index .Labels "org.nomad-rust-observability.stand-in"}}' "$ref" 2>/dev/null)" != "" ]; then
      echo "image: base $ref is a LOCAL STAND-IN made by tools/base-images.sh, not the official image"
    fi
    return 0
  fi
  echo "image: base $ref not in the $ENGINE store; trying to pull it"
  if err="$(timeout 120 "${CTR[@]}" pull -q "$ref" 2>&1 >/dev/null)"; then return 0; fi
  err="$(printf '%s' "$err" | tail -n 1)"
  if [ -z "$standin" ]; then
    # Exit status 3 tells `make image` that the base image, not the build, is what is missing.
    echo "error: image: base image $ref is not available: it is not in the $ENGINE store and the pull failed (${err:-timed out}). No local stand-in can be made for it, so this image cannot be built on this machine; build it where $ref can be pulled, or load it first ($ENGINE load -i <tarball>)." >&2
    exit 3
  fi
  echo "image: pull failed (${err:-timed out}); making a LOCAL STAND-IN for $ref with tools/base-images.sh"
  "$REPO/tools/base-images.sh" "$standin"
  image_exists "$ref" || die "image: tools/base-images.sh did not produce $ref"
}

# build_image CONTEXT DOCKERFILE REF [extra build args...]
build_image() {
  local context="$1" dockerfile="$2" ref="$3"; shift 3
  local args=(-f "$dockerfile" -t "$ref" "$@")
  case "$ENGINE" in
    docker) ;;
    podman) args+=(--format docker --layers --pull=never ${BUILD_NETWORK:+--network "$BUILD_NETWORK"}) ;;
    buildah) args+=(--format docker --layers --pull-never ${BUILD_NETWORK:+--network "$BUILD_NETWORK"}) ;;
  esac
  local t0=$SECONDS
  echo "image: $ENGINE build -f ${dockerfile#"$REPO"/} -t $ref ${context#"$REPO"/}"
  ctr_build "${args[@]}" "$context"
  BUILD_SECONDS=$((SECONDS - t0))
}

# glibc_check BINARY BASE: refuses a host binary that needs a newer glibc than the image has.
glibc_check() {
  local bin="$1" base="$2" need have
  command -v objdump >/dev/null || { echo "image: objdump not found (binutils); glibc check skipped"; return 0; }
  need="$(objdump -T "$bin" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)"
  [ -n "$need" ] || { echo "image: $bin has no GLIBC symbol versions (static build?)"; return 0; }
  if [ "$ENGINE" = buildah ]; then
    local cid; cid="$(ctr from --pull-never "$base")"
    have="$(ctr run --network none "$cid" getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
    ctr rm "$cid" >/dev/null
  else
    have="$(ctr run --rm --network none --entrypoint getconf "$base" GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
  fi
  [ -n "$have" ] || die "image: could not read the glibc version of $base (getconf GNU_LIBC_VERSION failed)"
  if [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | tail -n 1)" != "$have" ]; then
    die "image: ${bin#"$REPO"/} needs glibc $need but $base has glibc $have: the binary would not start. Build on Debian bookworm (glibc 2.36) or use 'make image' (multi-stage)."
  fi
  echo "image: glibc check: binary needs >= $need, $base has $have"
}

report() {
  local ref="$1"
  echo "image: built $ref with $ENGINE ($mode) in ${BUILD_SECONDS} s; size $(image_size_mb "$ref") MB"
}

container_engine_init
# Builds run under nice: the machine is shared.
ctr_build() {
  if [ "$ENGINE" = buildah ]; then nice -n 10 "${CTR[@]}" bud "$@"
  else nice -n 10 "${CTR[@]}" build "$@"; fi
}

case "$mode" in
  multistage)
    version="$(crate_version)"
    ref="${IMAGE:-prototype-service}:${TAG:-$version}"
    for b in $(base_images_of "$SERVICE/Dockerfile"); do
      case "$b" in */rust:*) ensure_base "$b" rust ;; */debian:*) ensure_base "$b" debian ;; *) ensure_base "$b" "" ;; esac
    done
    # The host's CA bundle, for a TLS-inspecting proxy between the build and crates.io (public
    # certificates only; BUILD_CA_BUNDLE= disables it, BUILD_CA_BUNDLE=/path picks another).
    ca="${BUILD_CA_BUNDLE-/etc/ssl/certs/ca-certificates.crt}"
    secret=()
    if [ -n "$ca" ]; then
      [ -s "$ca" ] || die "image: BUILD_CA_BUNDLE=$ca is not a readable, non-empty file"
      secret=(--secret "id=cacert,src=$ca")
    fi
    t_all=$SECONDS
    # The Rust pin of env.sh (the Dockerfile's own default is for a plain `docker build`).
    rust=(--build-arg "RUST_IMAGE=docker.io/library/rust:${RUST_VERSION}-slim-bookworm")
    if [ "$ENGINE" != docker ]; then
      # Tag the builder stage (whose parents are the dependency layers) so that pruning the
      # untagged rest keeps the dependency cache and, for an unchanged source, the compiled crate.
      build_image "$SERVICE" "$SERVICE/Dockerfile" "$CACHE_REF" --target builder "${rust[@]}" "${secret[@]}"
    fi
    build_image "$SERVICE" "$SERVICE/Dockerfile" "$ref" --build-arg "VERSION=$version" "${rust[@]}" "${secret[@]}"
    BUILD_SECONDS=$((SECONDS - t_all))
    prune_dangling
    report "$ref"
    ;;
  local)
    version="$(crate_version)"
    ref="${IMAGE:-prototype-service}:${TAG:-$version}"
    bin="$SERVICE/target/release/prototype-service"
    if [ "${SKIP_BUILD:-0}" != 1 ]; then
      command -v "${CARGO:-cargo}" >/dev/null || die "image: cargo not found; install Rust, or build the binary elsewhere and run with SKIP_BUILD=1"
      echo "image: make build (incremental release build on the host)"
      nice -n 10 make -s -C "$REPO" build
    fi
    [ -x "$bin" ] || die "image: ${bin#"$REPO"/} not found: run 'make build' first"
    base="$(base_images_of "$SERVICE/Dockerfile.local" | head -n 1)"
    case "$base" in */debian:*) ensure_base "$base" debian ;; *) ensure_base "$base" "" ;; esac
    glibc_check "$bin" "$base"
    # BuildKit finds Dockerfile.local.dockerignore by itself; podman and buildah are told.
    ignore=()
    [ "$ENGINE" = docker ] || ignore=(--ignorefile "$SERVICE/Dockerfile.local.dockerignore")
    build_image "$SERVICE" "$SERVICE/Dockerfile.local" "$ref" --build-arg "VERSION=$version" "${ignore[@]}"
    prune_dangling
    report "$ref"
    ;;
  fluentd)
    dockerfile="$FLUENTD_DIR/Dockerfile"
    [ -f "$dockerfile" ] || die "image: $dockerfile not found (the efk pack's Fluentd image)"
    vars="$REPO/packs/efk/variables.hcl"
    fl="$(grep -oE '^\s*fluentd\s*=\s*optional\(string,\s*"[^"]+"' "$vars" 2>/dev/null | grep -oE '"[^"]+"' | tr -d '"' | head -n 1 || true)"
    el="$(grep -oE '^\s*elastic\s*=\s*optional\(string,\s*"[^"]+"' "$vars" 2>/dev/null | grep -oE '"[^"]+"' | tr -d '"' | head -n 1 || true)"
    ref="${IMAGE:-efk-fluentd}:${TAG:-${fl:-latest}${el:+-es$el}}"
    for b in $(base_images_of "$dockerfile"); do ensure_base "$b" ""; done
    build_image "$FLUENTD_DIR" "$dockerfile" "$ref"
    report "$ref"
    ;;
esac
