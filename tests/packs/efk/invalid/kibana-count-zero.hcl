# expect: kibana.count must be at least 1 (got 0)
kibana = {
  count = 0
}
