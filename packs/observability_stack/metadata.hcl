app {
  url = "https://github.com/nomad-rust-observability/registry"
}

pack {
  name        = "observability_stack"
  description = "The whole original cluster in one command: the prototype service, the KrakenD gateway, Prometheus, Grafana and EFK as nomad-pack dependencies, refused when they disagree on the choices they share."
  version     = "0.1.0"
}

# Each dependency is vendored into deps/<label>/ by `make vendor` from the pack its source names.
# enabled = false leaves a component out (its copy stays, so it can be switched back on).
dependency "prototype_service" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/prototype_service"
}

dependency "krakend" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/krakend"
}

dependency "prometheus" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/prometheus"
}

dependency "grafana" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/grafana"
}

dependency "efk" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/efk"
}
