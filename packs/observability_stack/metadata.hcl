app {
  url = "https://github.com/nomad-rust-observability/registry"
}

pack {
  name        = "observability_stack"
  description = "The whole cluster in one command: the prototype service, the KrakenD gateway, Prometheus, Alertmanager, node_exporter, Grafana and EFK as nomad-pack dependencies, refused when they disagree on the choices they share."
  version     = "0.2.0"
}

# Each dependency is vendored into deps/<label>/ by `make vendor` from the pack its source names.
# `--var <label>.enabled=false` switches a component off for one run (README.md); enabled = false
# here leaves it out of the pack (its copy stays, so it can be switched back on).
dependency "prototype_service" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/prototype_service"
}

dependency "krakend" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/krakend"
}

dependency "prometheus" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/prometheus"
}

dependency "alertmanager" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/alertmanager"
}

dependency "node_exporter" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/node_exporter"
}

dependency "grafana" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/grafana"
}

dependency "efk" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/efk"
}
