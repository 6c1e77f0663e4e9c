app {
  url = "https://www.elastic.co/elastic-stack"
}

pack {
  name        = "efk"
  description = "Elasticsearch (single node), Fluentd with the matching Elasticsearch plugin, and Kibana with a ready log-* data view: searchable logs of the services."
  version     = "0.1.0"
}
