# Prometheus on the local dev agent (tools/cluster.sh) under raw_exec, discovering the service
# through the agent's own service catalogue (nomad_sd_configs). tools/cluster.sh adds nomad_address
# (the agent's HTTP address) and binary_path (the upstream build of tools/build-prometheus.sh, with
# its web UI) on the command line.
service_provider = "nomad"
connect          = "false"
driver           = "raw_exec"
binary_path      = "/usr/bin/prometheus"
port             = 9090
retention_time   = "1h"

# Short intervals so targets and rates show within seconds in the end-to-end tests.
scrape_interval = "2s"

resources = {
  cpu    = 200
  memory = 256
}
