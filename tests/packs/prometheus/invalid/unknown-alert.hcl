# expect: alert_rules[1] must be one of InstanceDown, HighErrorRatio, HighLatencyP99 (got "DiskFull")
alert_rules = ["InstanceDown", "DiskFull"]
