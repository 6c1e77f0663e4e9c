# The original's API job: ingress gateway api-ingress on port 80, plus placement, an explicit
# Connect, two gateway instances, a pinned image and a longer timeout.
job_name    = "api"
region      = "eu"
namespace   = "apis"
datacenters = ["dc1"]
node_pool   = "edge"
constraints = [
  {
    attribute = "$${meta.role}"
    operator  = "="
    value     = "edge"
  },
]
connect = true
ingress = {
  enabled = true
  port    = 80
}
count   = 2
image   = "krakend:2.13.6"
timeout = "5s"
resources = {
  cpu    = 300
  memory = 256
}
