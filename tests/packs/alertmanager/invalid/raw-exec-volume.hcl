# expect: volume.enabled = true cannot work with driver = "raw_exec"
driver = "raw_exec"
volume = {
  enabled    = true
  type       = "host"
  source     = "am"
  mount_path = "/alertmanager"
}
