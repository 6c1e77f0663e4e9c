app {
  url = "https://prometheus.io/docs/alerting/latest/alertmanager/"
}

pack {
  name        = "alertmanager"
  description = "Alertmanager that groups the alerts Prometheus sends and delivers them to webhook, email or Slack receivers, with their secrets read from Nomad Variables (Consul or Nomad service discovery)."
  version     = "0.1.0"
}
