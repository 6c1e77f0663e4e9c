# expect: prototype_service.fluentd_logging.service_name is "fluentd" but efk.fluentd.service_name is "logs", so the docker log driver would find no Fluentd
efk.fluentd = {
  service_name = "logs"
}
