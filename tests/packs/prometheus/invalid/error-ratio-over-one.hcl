# expect: alert_thresholds.error_ratio must be in (0, 1] (got 5)
alert_thresholds = {
  error_ratio = 5
}
