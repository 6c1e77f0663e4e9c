[[ template "grafana.validate" . ]][[ template "grafana.dashboard_provider" . ]]
