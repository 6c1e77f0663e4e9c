# expect: prometheus.scrape_services (prototype, node-exporter) lacks prototype_service.service_name "echo", so Prometheus would not scrape the service
prototype_service.service_name = "echo"
krakend.backend = {
  service         = "echo"
  local_bind_port = 8001
}
