app {
  url = "https://prometheus.io"
}

pack {
  name        = "prometheus"
  description = "Prometheus that discovers and scrapes the prototype service (Consul or Nomad service discovery), with alert rules for it."
  version     = "0.1.0"
}

# pack_helpers (placement, the Connect decision, choice checks, the ingress-gateway group) is
# vendored into deps/pack_helpers/ by `make vendor`; never edit that copy.
dependency "pack_helpers" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/pack_helpers"
}
