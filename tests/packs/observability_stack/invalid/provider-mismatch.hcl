# expect: disagree on service_provider, a shared choice (alertmanager.service_provider = "consul", efk.service_provider = "consul", grafana.service_provider = "consul", krakend.service_provider = "consul", node_exporter.service_provider = "consul", prometheus.service_provider = "consul", prototype_service.service_provider = "nomad")
# One component moved to Nomad's catalogue, the others left in Consul: they would not find it.
prototype_service.service_provider = "nomad"
