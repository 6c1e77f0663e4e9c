# Nomad-native: no Consul at all; Prometheus found with nomadService, the admin account in a
# Nomad Variable at another path, in a namespace and region, placed by a constraint.
service_provider       = "nomad"
admin_credentials_path = "nomad/jobs/grafana/admin"
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
