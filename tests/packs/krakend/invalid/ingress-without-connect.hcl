# expect: ingress.enabled = true needs Connect
connect = false
ingress = {
  enabled = true
  port    = 80
}
