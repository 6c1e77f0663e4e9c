# expect: load_balancer.health_path must start with / or be "" to turn the check off (got "ready")
service_provider = "nomad"
load_balancer = {
  enabled         = "auto"
  health_path     = "ready"
  health_interval = "1s"
  retries         = 3
}
