# Explicit Connect with the silences on a CSI volume, an external URL for the links in
# notifications and bigger resources.
connect      = "true"
external_url = "https://alerts.example.org"
resources = {
  cpu    = 200
  memory = 256
}
volume = {
  enabled         = true
  type            = "csi"
  source          = "alertmanager-data"
  mount_path      = "/alertmanager"
  access_mode     = "single-node-writer"
  attachment_mode = "file-system"
}
retention = "240h"
