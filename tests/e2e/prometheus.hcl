# Prometheus on the local dev agent (tools/cluster.sh): the Debian package's binary under
# raw_exec, discovering the service through the agent's own service catalogue (nomad_sd_configs).
# nomad_address is added on the command line by tools/cluster.sh (the agent's HTTP address).
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

# Alerts within seconds for the e2e's alert delivery step: rules evaluated every second, an
# instance is down after 3 s without an answer.
evaluation_interval = "1s"
alert_thresholds = {
  instance_down_for = "3s"
}
