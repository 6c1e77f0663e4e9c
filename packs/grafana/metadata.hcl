app {
  url = "https://grafana.com/oss/grafana/"
}

pack {
  name        = "grafana"
  description = "Grafana provisioned as code: the Prometheus datasource and the prototype service's dashboards, with an optional Consul ingress gateway."
  version     = "0.1.0"
}

# pack_helpers (placement, the Connect decision, choice checks, the ingress-gateway group) is
# vendored into deps/pack_helpers/ by `make vendor`; never edit that copy.
dependency "pack_helpers" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/pack_helpers"
}
