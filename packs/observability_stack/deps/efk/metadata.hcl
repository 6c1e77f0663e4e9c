app {
  url = "https://www.elastic.co/elastic-stack"
}

pack {
  name        = "efk"
  description = "Elasticsearch (single node), Fluentd with the matching Elasticsearch plugin, and Kibana with a ready log-* data view: searchable logs of the services."
  version     = "0.1.0"
}

# pack_helpers (placement, the Connect decision, choice checks, the ingress-gateway group) is
# vendored into deps/pack_helpers/ by `make vendor`; never edit that copy.
dependency "pack_helpers" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/pack_helpers"
}
