# expect: volume.enabled = true cannot work with driver = "raw_exec"
service_provider = "nomad"
driver           = "raw_exec"
volume = {
  enabled    = true
  type       = "host"
  source     = "prometheus-vol"
  mount_path = "/prometheus"
}
