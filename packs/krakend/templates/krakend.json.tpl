[[ template "krakend.config" . ]]
