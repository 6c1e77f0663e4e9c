app {
  url = "https://github.com/nomad-rust-observability/registry/tree/main/service"
}

pack {
  name        = "prototype_service"
  description = "The Rust/Actix-web prototype service: health and readiness checks, rolling deploys, TOML configuration, metrics for Prometheus and logs for Fluentd, on Consul Connect or Nomad-native discovery."
  version     = "0.1.0"
}
