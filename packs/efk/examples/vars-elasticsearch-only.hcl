# Only Elasticsearch (Fluentd and Kibana off), Consul Connect.
fluentd = {
  enabled = false
}
kibana = {
  enabled = false
}
