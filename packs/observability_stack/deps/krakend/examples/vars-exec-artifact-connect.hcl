# exec inside the Connect bridge namespace, krakend fetched from an artifact URL, a renamed
# backend on another upstream port, custom sidecar resources.
driver          = "exec"
artifact_source = "https://example.com/releases/krakend_2.13.6_amd64_generic-linux.tar.gz"
binary_path     = "local/krakend"
backend = {
  service         = "prototype-v2"
  local_bind_port = 9001
}
sidecar_resources = {
  cpu    = 100
  memory = 96
}
