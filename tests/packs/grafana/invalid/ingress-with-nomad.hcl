# expect: ingress.enabled = true needs service_provider = "consul"
service_provider = "nomad"
ingress = {
  enabled = true
  port    = 3000
}
