# Consul discovery without the Connect sidecar: host networking, the service port is scraped.
service_provider = "consul"
connect          = "false"
port             = 0
consul_address   = "127.0.0.1:8500"
