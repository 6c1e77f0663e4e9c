# Every component switched off: the stack renders no job, and the components that are off take no
# part in its checks. Each value below is refused when its component is on (invalid/provider-mismatch.hcl,
# invalid/gateway-backend-name.hcl, invalid/alertmanager-name.hcl, invalid/node-exporter-scrape-name.hcl,
# invalid/fluentd-off.hcl), so a job or one of those errors here fails the case.
prototype_service.enabled = false
krakend.enabled           = false
prometheus.enabled        = false
alertmanager.enabled      = false
node_exporter.enabled     = false
grafana.enabled           = false
efk.enabled               = false

prototype_service.service_provider = "nomad"
prototype_service.service_name     = "echo"
alertmanager.service_name          = "alerts"
node_exporter.service_name         = "node"
efk.fluentd = {
  enabled = false
}
