# How the local cluster runs it: Nomad-native services, a host binary under raw_exec on a dynamic
# port of the client's address (127.0.0.1 on the dev agent).
service_provider = "nomad"
driver           = "raw_exec"
binary_path      = "/usr/local/bin/node_exporter"
port             = 0
