# The exec driver running a release fetched by go-getter, Nomad provider in a namespace/region,
# placed by constraints, TSDB on a host volume.
service_provider = "nomad"
driver           = "exec"
artifact_source  = "https://github.com/prometheus/prometheus/releases/download/v3.5.1/prometheus-3.5.1.linux-amd64.tar.gz"
binary_path      = "local/prometheus-3.5.1.linux-amd64/prometheus"
region           = "global"
namespace        = "observability"
datacenters      = ["dc1", "dc2"]
node_pool        = "monitoring"
constraints = [
  {
    attribute = "$${attr.kernel.name}"
    operator  = "="
    value     = "linux"
  },
]
volume = {
  enabled    = true
  type       = "host"
  source     = "prometheus-vol"
  mount_path = "/prometheus"
}
# The upstream release has Nomad service discovery: let Prometheus query the Nomad API itself.
nomad_discovery = "nomad_sd"
nomad_address   = "http://10.0.0.5:4646"
