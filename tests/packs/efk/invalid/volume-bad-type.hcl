# expect: elasticsearch.volume.type must be "host" or "csi" (got "nfs")
elasticsearch = {
  volume = {
    enabled    = true
    type       = "nfs"
    source     = "es"
    mount_path = "/usr/share/elasticsearch/data"
  }
}
