# expect: ingress.enabled publishes Kibana, but kibana.enabled = false
ingress = {
  enabled = true
  port    = 5601
}
kibana = {
  enabled = false
}
