app {
  url = "https://grafana.com/oss/grafana/"
}

pack {
  name        = "grafana"
  description = "Grafana provisioned as code: the Prometheus datasource and the prototype service's dashboards, with an optional Consul ingress gateway."
  version     = "0.1.0"
}
