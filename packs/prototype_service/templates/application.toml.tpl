[[- /* Rendered next to the job so tests/packs/prototype_service/check can parse the same TOML the job deploys. */ -]]
[[ template "prototype_service.config" . ]]
