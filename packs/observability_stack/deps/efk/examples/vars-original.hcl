# The values that reproduce the original cluster's EFK job: Elasticsearch and Kibana 7.17.7, the
# Fluentd image from fluent/fluentd:v1.12.0-debian-1.0 with the elasticsearch gem 7.17.7 and
# fluent-plugin-elasticsearch 5.0.3, records also printed to stdout, Kibana published by the
# kibana-ingress gateway on 5601, host volumes elasticsearch-vol and kibana-vol.
versions = {
  elastic                     = "7.17.7"
  fluentd                     = "v1.12.0-debian-1.0"
  fluent_plugin_elasticsearch = "5.0.3"
  elasticsearch_gem           = "7.17.7"
}
ingress = {
  enabled = true
  port    = 5601
}
fluentd = {
  stdout_copy = true
}
kibana = {
  volume = {
    enabled    = true
    type       = "host"
    source     = "kibana-vol"
    mount_path = "/usr/share/kibana/data"
  }
}
