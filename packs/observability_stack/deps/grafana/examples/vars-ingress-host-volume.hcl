# The original's shape: Connect, an ingress gateway on port 3000, data on the host volume grafana-vol.
ingress = {
  enabled = true
  port    = 3000
}
volume = {
  enabled    = true
  type       = "host"
  source     = "grafana-vol"
  mount_path = "/var/lib/grafana"
}
