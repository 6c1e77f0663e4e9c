[[ template "grafana.validate" . ]][[ template "grafana.datasource" . ]]
