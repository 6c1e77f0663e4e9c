app {
  url = "https://www.krakend.io"
}

pack {
  name        = "krakend"
  description = "KrakenD API gateway in front of the prototype service: POST /v1/echo by default, more endpoints from a variable, backends through a Consul Connect upstream or found with nomadService, optional Consul ingress gateway."
  version     = "0.1.0"
}

# pack_helpers (placement, the Connect decision, choice checks, the ingress-gateway group) is
# vendored into deps/pack_helpers/ by `make vendor`; never edit that copy.
dependency "pack_helpers" {
  source = "git::https://github.com/nomad-rust-observability/registry.git//packs/pack_helpers"
}
