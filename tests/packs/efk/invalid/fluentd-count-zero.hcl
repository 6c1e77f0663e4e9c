# expect: fluentd.count must be at least 1 (got 0)
fluentd = {
  count = 0
}
