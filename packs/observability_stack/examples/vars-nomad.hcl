# Nomad-native: every component registered in and found through Nomad's service catalogue, no
# Consul at all (connect = "auto" is off without Consul). Still Docker.
prototype_service.service_provider = "nomad"
krakend.service_provider           = "nomad"
prometheus.service_provider        = "nomad"
alertmanager.service_provider      = "nomad"
node_exporter.service_provider     = "nomad"
grafana.service_provider           = "nomad"
efk.service_provider               = "nomad"
