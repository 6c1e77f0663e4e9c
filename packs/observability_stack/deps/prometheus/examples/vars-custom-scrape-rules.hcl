# A custom scrape list (two services, one over https on another path), custom thresholds,
# one built-in alert only, and extra alerting and recording rules.
scrape_services = [
  {
    name = "prototype"
  },
  {
    name         = "api-gateway"
    metrics_path = "/__stats/metrics"
    scheme       = "https"
  },
]
alert_rules = ["HighLatencyP99"]
alert_thresholds = {
  latency_p99_seconds = 0.25
  window              = "10m"
  for                 = "2m"
}
extra_rules = [
  {
    record = "job:http_requests:rate5m"
    expr   = "sum by (job) (rate(http_requests_total[5m]))"
  },
  {
    alert = "NoEchoTraffic"
    expr  = "sum(rate(prototype_service_echo_requests_total[15m])) == 0"
    for   = "30m"
    labels = {
      severity = "info"
    }
    annotations = {
      summary = "No echo request for 30 minutes (last value {{ $value }})"
    }
  },
]
