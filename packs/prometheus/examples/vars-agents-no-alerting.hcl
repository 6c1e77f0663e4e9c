# The Nomad agents listed by address (three servers over https), a slower rule evaluation, and no
# Alertmanager: alerts are evaluated and shown, not sent.
service_provider    = "nomad"
evaluation_interval = "30s"
alertmanagers = {
  enabled = false
}
nomad_agents = {
  addresses = ["10.0.0.11:4646", "10.0.0.12:4646", "10.0.0.13:4646"]
  scheme    = "https"
}
