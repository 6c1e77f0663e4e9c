# Consul discovery with a host binary under raw_exec: connect = "auto" turns the sidecar off
# (raw_exec cannot join the bridge network), so this is host networking with a dynamic port.
service_provider = "consul"
driver           = "raw_exec"
binary_path      = "/usr/bin/prometheus"
port             = 0
