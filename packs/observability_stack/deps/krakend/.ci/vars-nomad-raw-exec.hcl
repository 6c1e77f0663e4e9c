# What the end-to-end test runs: Nomad-native, a krakend binary with raw_exec on the host
# network (address and port from Nomad), two instances, a faster check.
service_provider = "nomad"
driver           = "raw_exec"
binary_path      = "/opt/krakend/bin/krakend"
count            = 2
health_check = {
  interval = "2s"
  timeout  = "1s"
}
config_change_splay = "2s"
