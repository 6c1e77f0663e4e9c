# Every receiver type with its secret from the Nomad Variable, child routes by severity, a
# custom grouping and no inhibition.
secrets_path = "nomad/jobs/alerting/receivers"
receivers = [
  {
    name       = "oncall-webhook"
    type       = "webhook"
    secret_key = "oncall_url"
  },
  {
    name          = "team-mail"
    type          = "email"
    to            = "team@example.org"
    from          = "alertmanager@example.org"
    smarthost     = "smtp.example.org:587"
    auth_username = "alertmanager"
    secret_key    = "smtp_password"
  },
  {
    name          = "chat"
    type          = "slack"
    channel       = "#alerts"
    secret_key    = "slack_url"
    send_resolved = false
  },
  {
    name = "audit"
    type = "webhook"
    url  = "http://audit.service.consul:8080/alerts"
  },
]
route = {
  receiver        = "team-mail"
  group_by        = ["alertname", "job", "instance"]
  group_wait      = "10s"
  group_interval  = "1m"
  repeat_interval = "12h"
}
routes = [
  {
    receiver = "oncall-webhook"
    matchers = ["severity=\"critical\""]
    continue = true
  },
  {
    receiver = "chat"
    matchers = ["severity=~\"warning|critical\"", "job!=\"prometheus\""]
  },
]
inhibit_critical = false
