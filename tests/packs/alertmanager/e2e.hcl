# Alertmanager on the local dev agent (tools/cluster.sh): the binary of tools/build-alertmanager.sh
# under raw_exec, registered in Nomad's catalogue, where the prometheus pack finds it. No receiver:
# alerts are kept and shown by its API (make up); the e2e adds a webhook (e2e-webhook.hcl).
# binary_path is added on the command line by tools/cluster.sh.
service_provider = "nomad"
connect          = "false"
driver           = "raw_exec"
port             = 0

# Notify within seconds: the e2e measures alert delivery.
route = {
  group_wait     = "1s"
  group_interval = "2s"
}
