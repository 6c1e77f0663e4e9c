# The gateway on the local dev agent (tools/cluster.sh): the KrakenD-compatible binary of
# tools/build-krakend.sh under raw_exec, its backends read from Nomad's service catalogue.
# binary_path is added on the command line by tools/cluster.sh.
service_provider = "nomad"
connect          = "false"
driver           = "raw_exec"
count            = 1

health_check = {
  interval = "2s"
  timeout  = "1s"
}
