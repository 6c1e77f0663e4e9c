# expect: elasticsearch_url is required when elasticsearch.enabled = false
elasticsearch = {
  enabled = false
}
