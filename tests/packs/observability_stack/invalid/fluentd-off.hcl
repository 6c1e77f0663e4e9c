# expect: prototype_service.fluentd_logging sends the logs to Fluentd, but efk.fluentd.enabled is false
efk.fluentd = {
  enabled = false
}
