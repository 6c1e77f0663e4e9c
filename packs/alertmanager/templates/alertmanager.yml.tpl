[[ template "alertmanager.validate" . ]][[ template "alertmanager.config" . ]]
