# Consul services without Connect: host networking, Fluentd and Kibana find Elasticsearch through
# Consul's catalogue (template "service"), static ports for the log driver and for Kibana.
connect = "false"
fluentd = {
  static_port = 24224
}
kibana = {
  static_port = 5601
}
