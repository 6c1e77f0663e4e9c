# expect: load_balancer.retries must be a whole number >= 0 (got -1)
service_provider = "nomad"
load_balancer = {
  enabled         = "auto"
  health_path     = "/ready"
  health_interval = "1s"
  retries         = -1
}
