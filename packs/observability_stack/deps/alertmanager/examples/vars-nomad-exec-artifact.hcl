# The exec driver running a release fetched by go-getter, Nomad provider in a namespace/region,
# placed by constraints, data on a host volume.
service_provider = "nomad"
driver           = "exec"
artifact_source  = "https://github.com/prometheus/alertmanager/releases/download/v0.35.0/alertmanager-0.35.0.linux-amd64.tar.gz"
binary_path      = "local/alertmanager-0.35.0.linux-amd64/alertmanager"
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
  source     = "alertmanager-vol"
  mount_path = "/alertmanager"
}
