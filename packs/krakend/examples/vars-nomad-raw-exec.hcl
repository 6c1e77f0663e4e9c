# What the end-to-end test runs: Nomad-native, a krakend binary with raw_exec on the host
# network (address and port from Nomad), two instances, a faster check, and the load balancer
# (on by default without Connect) running an envoy binary, with a longer check interval and more
# retries.
service_provider  = "nomad"
driver            = "raw_exec"
binary_path       = "/opt/krakend/bin/krakend"
envoy_binary_path = "/opt/envoy/bin/envoy"
count             = 2
health_check = {
  interval = "2s"
  timeout  = "1s"
}
load_balancer = {
  enabled         = "auto"
  health_path     = "/health"
  health_interval = "2s"
  retries         = 5
}
