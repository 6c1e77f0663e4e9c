# expect: fluentd.port must be a port in 1..65535 (got 0)
fluentd = {
  port = 0
}
