# Nomad-native discovery with one variable: backends found with nomadService, no Consul.
service_provider = "nomad"
