# expect: kibana.volume.mount_path must be an absolute path in the container (got "data")
kibana = {
  volume = {
    enabled    = true
    type       = "host"
    source     = "kibana-vol"
    mount_path = "data"
  }
}
