# Everything about placement and exposure: region, namespace, datacenters, node pool,
# constraints, an ingress gateway, a CSI volume, a custom image and resources, explicit Connect.
job_name    = "prototype-staging"
region      = "eu"
namespace   = "staging"
datacenters = ["dc1", "dc2"]
node_pool   = "apps"
constraints = [
  {
    attribute = "$${attr.kernel.name}"
    operator  = "="
    value     = "linux"
  },
]
connect = "true"
ingress = {
  enabled = true
  port    = 8081
}
image = "registry.example.com/prototype-service:0.1.0"
count = 3
resources = {
  cpu    = 200
  memory = 128
}
volume = {
  enabled         = true
  type            = "csi"
  source          = "prototype-data"
  mount_path      = "/data"
  access_mode     = "multi-node-multi-writer"
  attachment_mode = "file-system"
}
fluentd_logging = {
  enabled      = true
  service_name = "fluentd"
  tag          = "staging-group"
}
profile = "prod,canary"
