# expect: ingress.enabled = true needs service_provider = "consul" (got "nomad")
service_provider = "nomad"
ingress = {
  enabled = true
  port    = 8001
}
