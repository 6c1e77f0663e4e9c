# The gateway in the Connect mesh of `make up MESH=1` and `make e2e-mesh` (tools/mesh.sh): the
# pack's defaults (Consul, Connect sidecar with its upstream to the service, docker driver). The
# image (the Lura-based gateway, KrakenD CE cannot be had here) and the ingress gateway, on a
# 127.0.0.1 port of the lane's choosing, are set on the command line by tools/mesh.sh.
