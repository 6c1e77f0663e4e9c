[[- $connect := eq (tpl `[[ template "prototype_service.connect" . ]]` .) "true" -]]
Deployed job [[ var "job_name" . | quote ]]: [[ var "count" . ]] instance(s) of service [[ var "service_name" . | quote ]] ([[ var "driver" . ]] driver, [[ var "service_provider" . ]] provider, Connect [[ if $connect ]]on[[ else ]]off[[ end ]]).

  Status:    nomad job status [[ var "job_name" . ]]
[[- if eq (var "service_provider" .) "nomad" ]]
  Addresses: nomad service info [[ var "service_name" . ]]
[[- else ]]
  Addresses: curl http://127.0.0.1:8500/v1/catalog/service/[[ var "service_name" . ]]
[[- end ]]
[[- if $connect ]]
  Callers reach it through a Connect upstream "[[ var "service_name" . ]]" (the krakend pack binds it on 127.0.0.1:8001).
  Prometheus scrapes /metrics at the address in service meta sidecar_expose_addr.
[[- else ]]
  Prometheus scrapes /metrics on the service address (tag "metrics").
[[- end ]]
[[- if (var "ingress" .).enabled ]]
  From outside: curl -d 'hello' http://<client-address>:[[ (var "ingress" .).port ]]/echo
[[- end ]]
