# What the end-to-end test runs: Nomad-native, the release binary with raw_exec on the host
# network, two instances, faster checks and a configuration override.
service_provider = "nomad"
driver           = "raw_exec"
binary_path      = "/opt/prototype-service/bin/prototype-service"
count            = 2
health_check = {
  interval      = "2s"
  timeout       = "1s"
  restart_after = 3
}
update = {
  max_parallel      = 1
  min_healthy_time  = "3s"
  healthy_deadline  = "1m"
  progress_deadline = "2m"
  auto_revert       = true
}
config = <<EOT
[server]
shutdown_timeout_secs = 4

[logging]
level = "debug"
format = "json"
access_log = true
EOT
