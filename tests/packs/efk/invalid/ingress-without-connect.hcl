# expect: ingress.enabled needs Connect
connect = "false"
ingress = {
  enabled = true
  port    = 5601
}
