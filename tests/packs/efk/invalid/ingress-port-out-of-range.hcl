# expect: ingress.port must be a port in 1..65535 (got 70000)
ingress = {
  enabled = true
  port    = 70000
}
