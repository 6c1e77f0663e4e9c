# expect: elasticsearch_url must look like http(s)://host:port (got "es.example:9200")
elasticsearch = {
  enabled = false
}
elasticsearch_url = "es.example:9200"
