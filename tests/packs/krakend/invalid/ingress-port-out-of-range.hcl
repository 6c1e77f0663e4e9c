# expect: ingress.port must be in 1..65535 (got 0)
ingress = {
  enabled = true
  port    = 0
}
