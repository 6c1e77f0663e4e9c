# expect: fluentd.match_pattern must be one Fluentd tag pattern
fluentd = {
  match_pattern = "a b"
}
