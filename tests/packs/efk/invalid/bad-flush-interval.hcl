# expect: fluentd.flush_interval must be a duration like 10s, 1m or 1h (got "soon")
fluentd = {
  flush_interval = "soon"
}
