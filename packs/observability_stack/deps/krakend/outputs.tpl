[[- $connect := eq (tpl `[[ template "krakend.connect" . ]]` .) "true" -]]
Deployed job [[ var "job_name" . | quote ]]: [[ var "count" . ]] KrakenD instance(s) as service [[ var "service_name" . | quote ]] ([[ var "driver" . ]] driver, [[ var "service_provider" . ]] provider, Connect [[ if $connect ]]on[[ else ]]off[[ end ]]).

  Endpoints:
[[- range $e := concat (var "endpoints" .) (var "extra_endpoints" .) ]]
    [[ upper $e.method ]] [[ $e.endpoint ]] -> [[ upper $e.backend_method ]] [[ $e.backend_path ]] on [[ (var "backend" $).service ]]
[[- end ]]
  Status:  nomad job status [[ var "job_name" . ]]
[[- if (var "ingress" .).enabled ]]
  Try it:  curl -d 'Hola mundo' http://<client-address>:[[ (var "ingress" .).port ]]/v1/echo
[[- else if eq (var "service_provider" .) "nomad" ]]
  Address: nomad service info [[ var "service_name" . ]]   (then curl -d 'Hola mundo' http://<address>/v1/echo)
[[- else ]]
  Address: through a Connect upstream to [[ var "service_name" . | quote ]], or enable ingress for a static port.
[[- end ]]
