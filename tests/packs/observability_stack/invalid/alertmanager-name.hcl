# expect: prometheus.alertmanagers.service_name is "alertmanager" but alertmanager.service_name is "alerts", so Prometheus would send its alerts nowhere
alertmanager.service_name = "alerts"
