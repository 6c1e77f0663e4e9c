# No Elasticsearch in this job: Fluentd and Kibana (in the mesh) use an existing cluster by URL.
elasticsearch = {
  enabled = false
}
elasticsearch_url = "https://logs.example.internal:9243"
