# Nomad-native services: the one variable that switches mode; no Consul at all.
service_provider = "nomad"
