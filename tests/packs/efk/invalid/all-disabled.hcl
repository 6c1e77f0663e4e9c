# expect: elasticsearch, fluentd and kibana are all disabled
elasticsearch = {
  enabled = false
}
fluentd = {
  enabled = false
}
kibana = {
  enabled = false
}
