# expect: load_balancer.enabled = true needs Connect off
connect = "true"
load_balancer = {
  enabled         = "true"
  health_path     = "/ready"
  health_interval = "1s"
  retries         = 3
}
