# Nomad-native discovery with one variable: backends found with nomadService, no Consul; on
# docker the load balancer runs the envoy_image default.
service_provider = "nomad"
