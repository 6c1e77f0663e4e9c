# The original cluster: Consul with Connect and Docker (the components' defaults), datacenter dc1,
# the three Consul ingress gateways (gateway on 80, Grafana on 3000, Kibana on 5601) and the host
# volumes prometheus-vol, grafana-vol, elasticsearch-vol and kibana-vol.
prototype_service.datacenters = ["dc1"]
krakend.datacenters           = ["dc1"]
prometheus.datacenters        = ["dc1"]
alertmanager.datacenters      = ["dc1"]
node_exporter.datacenters     = ["dc1"]
grafana.datacenters           = ["dc1"]
efk.datacenters               = ["dc1"]

krakend.ingress = {
  enabled = true
  port    = 80
}
grafana.ingress = {
  enabled = true
  port    = 3000
}
efk.ingress = {
  enabled = true
  port    = 5601
}

prometheus.volume = {
  enabled    = true
  type       = "host"
  source     = "prometheus-vol"
  mount_path = "/prometheus"
}
grafana.volume = {
  enabled    = true
  type       = "host"
  source     = "grafana-vol"
  mount_path = "/var/lib/grafana"
}
efk.kibana = {
  volume = {
    enabled    = true
    type       = "host"
    source     = "kibana-vol"
    mount_path = "/usr/share/kibana/data"
  }
}
