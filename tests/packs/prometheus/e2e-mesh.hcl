# Prometheus in the Connect mesh of `make up MESH=1` and `make e2e-mesh` (tools/mesh.sh): the
# pack's defaults (Consul with consul_sd, Connect sidecar, docker driver, scraping each instance
# through its sidecar's expose listener). The image (tools/build-prometheus.sh's binary, since
# prom/prometheus cannot be pulled here) and consul_address (Consul's port there is not 8500) are
# set on the command line by tools/mesh.sh; a short scrape interval so the lane sees rates soon.
scrape_interval = "2s"
