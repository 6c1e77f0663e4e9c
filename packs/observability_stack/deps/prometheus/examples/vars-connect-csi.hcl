# Explicit Connect with a CSI volume for the TSDB, two replicas and bigger resources.
connect = "true"
count   = 2
resources = {
  cpu    = 1000
  memory = 2048
}
sidecar_resources = {
  cpu    = 100
  memory = 96
}
volume = {
  enabled         = true
  type            = "csi"
  source          = "prometheus-data"
  mount_path      = "/prometheus"
  access_mode     = "multi-node-multi-writer"
  attachment_mode = "file-system"
}
retention_time = "30d"
