# The exec driver running a release fetched by go-getter, Nomad provider in a namespace/region.
service_provider = "nomad"
driver           = "exec"
artifact_source  = "https://github.com/prometheus/node_exporter/releases/download/v1.12.1/node_exporter-1.12.1.linux-amd64.tar.gz"
binary_path      = "local/node_exporter-1.12.1.linux-amd64/node_exporter"
region           = "global"
namespace        = "observability"
datacenters      = ["dc1", "dc2"]
