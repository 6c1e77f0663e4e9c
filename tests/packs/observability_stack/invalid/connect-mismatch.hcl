# expect: disagree on connect, a shared choice (efk.connect = "auto", grafana.connect = "false"
grafana.connect = "false"
