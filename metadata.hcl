# The registry's own description, read by people and by tests/validate.sh.
registry {
  name        = "rust_observability"
  description = "Nomad Packs for a Rust/Actix-web microservice with its observability stack: KrakenD API gateway, Consul Connect or Nomad-native discovery, Prometheus and Grafana, Elasticsearch, Fluentd and Kibana."
  version     = "0.1.0"
  url         = "https://github.com/nomad-rust-observability/registry"
}
