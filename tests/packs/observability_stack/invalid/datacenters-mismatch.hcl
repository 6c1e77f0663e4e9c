# expect: disagree on datacenters, a shared choice (alertmanager.datacenters = ["*"], efk.datacenters = ["*"], grafana.datacenters = ["*"], krakend.datacenters = ["*"], node_exporter.datacenters = ["*"], prometheus.datacenters = ["dc1"]
prometheus.datacenters = ["dc1"]
