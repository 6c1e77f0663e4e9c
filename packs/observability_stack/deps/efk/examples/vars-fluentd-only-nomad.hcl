# Only Fluentd, Nomad services, shipping to an existing Elasticsearch; Kibana lives elsewhere.
service_provider = "nomad"
elasticsearch = {
  enabled = false
}
kibana = {
  enabled = false
}
elasticsearch_url = "http://10.0.0.5:9200"
