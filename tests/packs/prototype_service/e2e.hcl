# The service on the local dev agent (tools/cluster.sh, make up / make e2e): Nomad-native
# discovery, no Consul, no Docker. binary_path is added on the command line by tools/cluster.sh
# (service/target/release/prototype-service of this checkout).
service_provider = "nomad"
connect          = "false"
driver           = "raw_exec"
count            = 2

# No profile (the pack's default, which means "prod" only with docker): the profile files exist in
# the container image, not beside a raw_exec binary. The `config` variable (JSON logs) applies.
profile = ""

# Short check intervals so deploys and restarts are seen within seconds, not minutes.
# restart_after x interval (30s) must exceed the restart delay (15s + 25% jitter): otherwise the
# failed checks of a task waiting to be restarted make check_restart restart it once more as soon
# as it is back (seen with restart_after = 3: two restarts after one kill -9).
health_check = {
  interval      = "2s"
  timeout       = "1s"
  restart_after = 15
}

update = {
  max_parallel      = 1
  min_healthy_time  = "3s"
  healthy_deadline  = "1m"
  progress_deadline = "2m"
  auto_revert       = true
}

# Time for callers to see an instance leave the catalogue before it is signalled.
shutdown_delay = "3s"
kill_timeout   = "10s"
