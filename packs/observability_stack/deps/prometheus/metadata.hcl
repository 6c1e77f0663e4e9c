app {
  url = "https://prometheus.io"
}

pack {
  name        = "prometheus"
  description = "Prometheus that discovers and scrapes the prototype service (Consul or Nomad service discovery), with alert rules for it."
  version     = "0.1.0"
}
