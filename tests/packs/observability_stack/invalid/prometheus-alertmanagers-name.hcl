# expect: prometheus.alertmanagers.service_name is "alerting" but alertmanager.service_name is "alertmanager", so Prometheus would send its alerts nowhere
# The same link seen from Prometheus' side: its alerts would go to a service nobody registers.
prometheus.alertmanagers = {
  service_name = "alerting"
}
