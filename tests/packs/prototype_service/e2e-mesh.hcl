# The service in the Connect mesh of `make up MESH=1` and `make e2e-mesh` (tools/mesh.sh): the
# pack's defaults (Consul, Connect sidecar, docker driver, `make image`'s image, 2 instances),
# except what cannot hold on that machine: no Fluentd runs there (and podman's Docker API has no
# fluentd log driver), so the containers keep the default log driver.
fluentd_logging = {
  enabled      = false
  service_name = "fluentd"
  tag          = "prototype-group"
}
