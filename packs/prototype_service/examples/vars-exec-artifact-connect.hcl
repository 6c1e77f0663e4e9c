# exec driver inside the Connect bridge namespace, binary fetched from an artifact URL, running as
# nobody, with a host volume and custom sidecar resources.
driver          = "exec"
artifact_source = "https://example.com/releases/prototype-service-0.1.0-x86_64-linux.tar.gz"
user            = "nobody"
sidecar_resources = {
  cpu    = 100
  memory = 96
}
volume = {
  enabled    = true
  type       = "host"
  source     = "prototype-vol"
  mount_path = "/var/lib/prototype-service"
  read_only  = true
}
