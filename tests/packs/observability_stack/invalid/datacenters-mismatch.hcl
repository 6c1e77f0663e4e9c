# expect: disagree on datacenters, a shared choice (efk.datacenters = ["*"], grafana.datacenters = ["*"], krakend.datacenters = ["*"], prometheus.datacenters = ["dc1"]
prometheus.datacenters = ["dc1"]
