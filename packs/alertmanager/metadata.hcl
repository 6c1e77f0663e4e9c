app {
  url = "https://prometheus.io/docs/alerting/latest/alertmanager/"
}

pack {
  name        = "alertmanager"
  description = "Alertmanager that groups the alerts Prometheus sends and delivers them to webhook, email or Slack receivers, with their secrets read from Nomad Variables (Consul or Nomad service discovery)."
  version     = "0.1.0"
}

# pack_helpers (placement, the Connect decision, choice checks, the ingress-gateway group) is
# vendored into deps/pack_helpers/ by `make vendor`; never edit that copy.
dependency "pack_helpers" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/pack_helpers"
}
