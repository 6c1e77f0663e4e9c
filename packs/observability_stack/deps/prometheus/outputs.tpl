[[- $connect := eq (tpl "[[ template \"prometheus.connect\" . ]]" .) "true" -]]
Prometheus is deployed as job [[ var "job_name" . | quote ]] ([[ var "count" . ]] instance(s), driver [[ var "driver" . ]]), registered in [[ var "service_provider" . ]] as service [[ var "service_name" . | quote ]].
It scrapes itself[[ range var "scrape_services" . ]], [[ .name ]][[ end ]] (scrape job = service name) and loads [[ len (var "alert_rules" .) ]] built-in and [[ len (var "extra_rules" .) ]] extra rule(s).
[[- if $connect ]]
With Connect it is reachable through the mesh only: add an upstream { destination_name = [[ var "service_name" . | quote ]], local_bind_port = 9090 } (the grafana pack does).
[[- else ]]
Find its address with: nomad service info [[ var "service_name" . ]][[ if eq (var "service_provider" .) "consul" ]]   (or: dig @127.0.0.1 -p 8600 [[ var "service_name" . ]].service.consul SRV)[[ end ]]
Then: curl http://<address>/-/ready ; open http://<address>/targets and /alerts.
[[- end ]]
