# raw_exec with the Consul provider: connect = "auto" turns Connect off; the load balancer asked
# for explicitly, without its health check (Consul's lookup returns passing instances only, and
# refused connections are retried), backends from the Consul catalogue, address and port from
# Nomad.
driver            = "raw_exec"
binary_path       = "/usr/local/bin/krakend"
envoy_binary_path = "/usr/local/bin/envoy"
load_balancer = {
  enabled         = "true"
  health_path     = ""
  health_interval = "1s"
  retries         = 2
}
