[[ template "krakend.envoy_config" . ]]
