# expect: disagree on connect, a shared choice (alertmanager.connect = "auto", efk.connect = "auto", grafana.connect = "false"
grafana.connect = "false"
