# Nomad-native: no Consul at all; Prometheus found with nomadService; the admin account in the
# group-level Nomad Variable path (readable by the task without a policy); a namespace, a region
# and a constraint.
service_provider       = "nomad"
admin_credentials_path = "nomad/jobs/grafana/grafana"
region                 = "global"
namespace              = "observability"
datacenters            = ["dc1"]
node_pool              = "monitoring"
constraints = [
  {
    attribute = "$${node.class}"
    operator  = "="
    value     = "observability"
  },
]
