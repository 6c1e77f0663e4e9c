# The service, the gateway and Prometheus as binaries under exec (fetched by go-getter into
# local/), registered in Consul without Connect (Envoy sidecars are containers). Grafana and EFK
# have no binary driver: their jobs still need Docker on some client; leave them out with
# enabled = false in metadata.hcl for a cluster without Docker at all.
prototype_service.driver          = "exec"
prototype_service.artifact_source = "https://example.com/releases/prototype-service-0.1.0-x86_64-linux.tar.gz"
krakend.driver                    = "exec"
krakend.artifact_source           = "https://example.com/releases/krakend_2.13.4_amd64_generic-linux.tar.gz"
krakend.binary_path               = "local/krakend"
prometheus.driver                 = "exec"
prometheus.artifact_source        = "https://github.com/prometheus/prometheus/releases/download/v3.5.0/prometheus-3.5.0.linux-amd64.tar.gz"
prometheus.binary_path            = "local/prometheus-3.5.0.linux-amd64/prometheus"

prototype_service.connect = "false"
krakend.connect           = "false"
prometheus.connect        = "false"
grafana.connect           = "false"
efk.connect               = "false"
