app {
  url = "https://github.com/prometheus/node_exporter"
}

pack {
  name        = "node_exporter"
  description = "node_exporter on every client (a system job) for the hosts' CPU, memory, disk and network metrics, registered in Consul or Nomad for Prometheus to find."
  version     = "0.1.0"
}
