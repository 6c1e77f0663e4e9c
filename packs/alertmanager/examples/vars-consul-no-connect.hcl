# Consul registration without the Connect sidecar: host networking on a dynamic port, one plain
# webhook receiver with no secret.
service_provider = "consul"
connect          = "false"
port             = 0
receivers = [
  {
    name = "hook"
    type = "webhook"
    url  = "http://127.0.0.1:5001/"
  },
]
