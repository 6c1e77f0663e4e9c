[[ template "prometheus.validate" . ]][[ template "prometheus.rules" . ]]
