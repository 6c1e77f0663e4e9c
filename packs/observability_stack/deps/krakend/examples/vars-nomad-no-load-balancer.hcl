# Nomad-native without the load balancer: KrakenD gets the host list from nomadService itself and
# restarts when it changes (after config_change_splay); no envoy task, no envoy binary needed.
service_provider    = "nomad"
driver              = "raw_exec"
binary_path         = "/usr/local/bin/krakend"
config_change_splay = "2s"
load_balancer = {
  enabled         = "false"
  health_path     = "/ready"
  health_interval = "1s"
  retries         = 3
}
