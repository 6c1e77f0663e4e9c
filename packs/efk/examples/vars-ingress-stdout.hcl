# Consul Connect with the Kibana ingress gateway, every record also copied to Fluentd's stdout,
# placement variables set.
region      = "europe"
namespace   = "observability"
datacenters = ["dc1", "dc2"]
node_pool   = "logging"
constraints = [
  { attribute = "$${attr.kernel.name}", operator = "=", value = "linux" },
]
sidecar_resources = {
  cpu    = 100
  memory = 96
}
ingress = {
  enabled = true
  port    = 8601
}
fluentd = {
  stdout_copy    = true
  match_pattern  = "app.**"
  index_prefix   = "applogs"
  flush_interval = "5s"
  count          = 2
  port           = 24225
}
