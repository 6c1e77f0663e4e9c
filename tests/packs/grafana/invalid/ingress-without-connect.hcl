# expect: ingress.enabled = true needs the Connect sidecar
connect = false
ingress = {
  enabled = true
  port    = 3000
}
