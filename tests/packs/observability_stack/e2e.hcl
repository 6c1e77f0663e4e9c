# The stack on the local dev agent (proposed for tools/cluster.sh, make up): the values of
# tests/packs/{prototype_service,krakend,prometheus}/e2e.hcl, each under its component's prefix.
# Nomad-native discovery, no Consul, no Docker. The host paths (prototype_service.binary_path,
# krakend.binary_path, prometheus.binary_path, prometheus.nomad_address) are added on the command
# line by tools/cluster.sh. Grafana and EFK have no binary driver: the stack registers their jobs,
# which stay unplaced on a client without Docker.
prototype_service.service_provider = "nomad"
prototype_service.connect          = "false"
prototype_service.driver           = "raw_exec"
prototype_service.count            = 2

# No profile (the pack's default, which means "prod" only with docker): the profile files exist in
# the container image, not beside a raw_exec binary. The `config` variable (JSON logs) applies.
prototype_service.profile = ""

# Short check intervals so deploys and restarts are seen within seconds, not minutes.
# restart_after x interval (30s) must exceed the restart delay (15s + 25% jitter), or a task
# waiting to be restarted is restarted once more as soon as it is back.
prototype_service.health_check = {
  interval      = "2s"
  timeout       = "1s"
  restart_after = 15
}

prototype_service.update = {
  max_parallel      = 1
  min_healthy_time  = "3s"
  healthy_deadline  = "1m"
  progress_deadline = "2m"
  auto_revert       = true
}

# Time for callers to see an instance leave the catalogue before it is signalled.
prototype_service.shutdown_delay = "3s"
prototype_service.kill_timeout   = "10s"

# The gateway: the KrakenD-compatible binary of tools/build-krakend.sh.
krakend.service_provider = "nomad"
krakend.connect          = "false"
krakend.driver           = "raw_exec"
krakend.count            = 1
krakend.health_check = {
  interval = "2s"
  timeout  = "1s"
}

# Prometheus: a host binary discovering the service through the agent's catalogue; short
# intervals so targets and rates show within seconds in the end-to-end tests.
prometheus.service_provider = "nomad"
prometheus.connect          = "false"
prometheus.driver           = "raw_exec"
prometheus.port             = 9090
prometheus.retention_time   = "1h"
prometheus.scrape_interval  = "2s"
prometheus.resources = {
  cpu    = 200
  memory = 256
}

grafana.service_provider = "nomad"
grafana.connect          = "false"
efk.service_provider     = "nomad"
efk.connect              = "false"
