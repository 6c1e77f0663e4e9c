[[ template "krakend.envoy_endpoints" . ]]
