app {
  url = "https://github.com/prometheus/node_exporter"
}

pack {
  name        = "node_exporter"
  description = "node_exporter on every client (a system job) for the hosts' CPU, memory, disk and network metrics, registered in Consul or Nomad for Prometheus to find."
  version     = "0.1.0"
}

# pack_helpers (placement, the Connect decision, choice checks, the ingress-gateway group) is
# vendored into deps/pack_helpers/ by `make vendor`; never edit that copy.
dependency "pack_helpers" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/pack_helpers"
}
