[[- /* Rendered next to the job so tools/checks/prototype_service can parse the same TOML the job deploys. */ -]]
[[ template "prototype_service.config" . ]]
