# Consul provider without Connect: docker on the host network with a mapped port, checks without
# expose, no Fluentd log driver, extra tags and environment.
connect      = false
service_tags = ["v1", "api"]
env = {
  APP_LOGGING__LEVEL = "debug"
  RUST_BACKTRACE     = "1"
}
fluentd_logging = {
  enabled      = false
  service_name = "fluentd"
  tag          = "prototype-group"
}
