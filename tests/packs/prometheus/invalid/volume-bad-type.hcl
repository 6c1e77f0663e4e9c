# expect: volume.type must be "host" or "csi" (got "nfs")
volume = {
  enabled    = true
  type       = "nfs"
  source     = "prometheus-vol"
  mount_path = "/prometheus"
}
