# Nomad-native discovery with one variable: no Consul, no Connect, Fluentd found with nomadService.
service_provider = "nomad"
