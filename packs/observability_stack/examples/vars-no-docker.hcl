# The service, the gateway, Prometheus, Alertmanager and node_exporter as binaries under exec
# (fetched by go-getter into local/), registered in Consul without Connect (Envoy sidecars are
# containers; the gateway's load balancer runs an envoy binary from the client instead). Grafana
# and EFK have no binary driver, so they are switched off: a cluster without Docker at all.
prototype_service.driver          = "exec"
prototype_service.artifact_source = "https://example.com/releases/prototype-service-0.1.0-x86_64-linux.tar.gz"
krakend.driver                    = "exec"
krakend.artifact_source           = "https://example.com/releases/krakend_2.13.6_amd64_generic-linux.tar.gz"
krakend.binary_path               = "local/krakend"
krakend.envoy_binary_path         = "/usr/local/bin/envoy"
prometheus.driver                 = "exec"
prometheus.artifact_source        = "https://github.com/prometheus/prometheus/releases/download/v3.5.1/prometheus-3.5.1.linux-amd64.tar.gz"
prometheus.binary_path            = "local/prometheus-3.5.1.linux-amd64/prometheus"
alertmanager.driver               = "exec"
alertmanager.artifact_source      = "https://github.com/prometheus/alertmanager/releases/download/v0.35.0/alertmanager-0.35.0.linux-amd64.tar.gz"
alertmanager.binary_path          = "local/alertmanager-0.35.0.linux-amd64/alertmanager"
node_exporter.driver              = "exec"
node_exporter.artifact_source     = "https://github.com/prometheus/node_exporter/releases/download/v1.12.1/node_exporter-1.12.1.linux-amd64.tar.gz"
node_exporter.binary_path         = "local/node_exporter-1.12.1.linux-amd64/node_exporter"

prototype_service.connect = "false"
krakend.connect           = "false"
prometheus.connect        = "false"
alertmanager.connect      = "false"

grafana.enabled = false
efk.enabled     = false
