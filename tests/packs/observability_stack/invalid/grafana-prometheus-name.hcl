# expect: grafana.prometheus_service is "prometheus" but prometheus.service_name is "metrics", so Grafana's datasource would find no Prometheus
prometheus.service_name = "metrics"
