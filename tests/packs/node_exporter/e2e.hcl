# node_exporter on the local dev agent (tools/cluster.sh): the binary of
# tools/build-node-exporter.sh under raw_exec on a dynamic port of the client's address, which is
# 127.0.0.1 here (the agent's network_interface is lo). binary_path is added by tools/cluster.sh.
service_provider = "nomad"
driver           = "raw_exec"
port             = 0
