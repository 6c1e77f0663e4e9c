[[ template "prometheus.validate" . ]][[ template "prometheus.config" . ]]
