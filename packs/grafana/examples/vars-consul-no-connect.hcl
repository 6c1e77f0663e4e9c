# Consul without Connect: host networking, Prometheus found with Consul's service lookup.
service_provider = "consul"
connect          = "false"
port             = 0
