# expect: ingress.enabled needs service_provider = "consul"
service_provider = "nomad"
ingress = {
  enabled = true
  port    = 5601
}
