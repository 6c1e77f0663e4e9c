# Explicit Connect, a CSI volume, another image, datasource uid/name, one dashboard only,
# a renamed Prometheus service and bigger resources.
connect            = "true"
image              = "grafana/grafana:11.6.0"
prometheus_service = "metrics-prometheus"
datasource = {
  name            = "Metrics"
  uid             = "metrics-prom"
  scrape_interval = "5s"
}
dashboards        = ["prototype-service.json"]
dashboards_folder = "Services"
resources = {
  cpu    = 500
  memory = 512
}
sidecar_resources = {
  cpu    = 100
  memory = 64
}
volume = {
  enabled         = true
  type            = "csi"
  source          = "grafana-data"
  mount_path      = "/var/lib/grafana"
  access_mode     = "single-node-writer"
  attachment_mode = "file-system"
}
