# expect: volume.type must be "host" or "csi" (got "nfs")
volume = {
  enabled    = true
  type       = "nfs"
  source     = "x"
  mount_path = "/data"
}
