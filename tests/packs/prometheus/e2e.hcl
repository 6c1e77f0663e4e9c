# Prometheus on the local dev agent (tools/cluster.sh) under raw_exec, discovering the service
# through the agent's own service catalogue (nomad_sd_configs). nomad_address (the agent's HTTP
# address) and binary_path (the Prometheus of tools/env.sh) are added by tools/cluster.sh.
service_provider = "nomad"
connect          = "false"
driver           = "raw_exec"
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
