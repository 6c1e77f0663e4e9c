# Volumes of every kind: Elasticsearch data on CSI, Fluentd's buffer on disk (host volume),
# Kibana's data directory on a host volume; bigger heap with resources to match.
elasticsearch = {
  heap_mb = 2048
  resources = {
    cpu    = 1000
    memory = 4096
  }
  volume = {
    enabled         = true
    type            = "csi"
    source          = "elasticsearch-data"
    mount_path      = "/usr/share/elasticsearch/data"
    access_mode     = "single-node-writer"
    attachment_mode = "file-system"
  }
}
fluentd = {
  volume = {
    enabled    = true
    type       = "host"
    source     = "fluentd-vol"
    mount_path = "/fluentd/buffer"
  }
}
kibana = {
  volume = {
    enabled    = true
    type       = "host"
    source     = "kibana-vol"
    mount_path = "/usr/share/kibana/data"
    read_only  = false
  }
}
