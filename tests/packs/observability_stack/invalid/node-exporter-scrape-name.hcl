# expect: prometheus.scrape_services (prototype, node-exporter) lacks node_exporter.service_name "node", so Prometheus would not scrape the hosts
node_exporter.service_name = "node"
