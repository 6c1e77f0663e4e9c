# expect: load_balancer.enabled must be "auto", "true" or "false" (got "yes")
service_provider = "nomad"
load_balancer = {
  enabled         = "yes"
  health_path     = "/ready"
  health_interval = "1s"
  retries         = 3
}
