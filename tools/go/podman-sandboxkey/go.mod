module github.com/nomad-rust-observability/tools/podman-sandboxkey

go 1.22
