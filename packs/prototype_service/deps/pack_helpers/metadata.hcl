app {
  url = "https://github.com/nomad-rust-observability/registry"
}

pack {
  name        = "pack_helpers"
  description = "Named template helpers the packs of this registry share (placement, the Connect decision, choice checks, the Consul ingress-gateway group); it renders no job of its own."
  version     = "0.1.0"
}
