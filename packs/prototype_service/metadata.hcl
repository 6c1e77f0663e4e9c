app {
  url = "https://github.com/nomad-rust-observability/registry/tree/main/service"
}

pack {
  name        = "prototype_service"
  description = "The Rust/Actix-web prototype service: health and readiness checks, rolling deploys, TOML configuration, metrics for Prometheus and logs for Fluentd, on Consul Connect or Nomad-native discovery."
  version     = "0.1.0"
}

# pack_helpers (placement, the Connect decision, choice checks, the ingress-gateway group) is
# vendored into deps/pack_helpers/ by `make vendor`; never edit that copy.
dependency "pack_helpers" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/pack_helpers"
}
