[[- $c := dict "root" . ]][[ template "alertmanager.init" $c -]]
Alertmanager is deployed as job [[ var "job_name" . | quote ]] (driver [[ var "driver" . ]]), registered in [[ var "service_provider" . ]] as service [[ var "service_name" . | quote ]]; the prometheus pack sends its alerts there.
Alerts go to receiver "[[ template "alertmanager.default_receiver" . ]]"[[ with var "routes" . ]] unless one of [[ len . ]] child route(s) matches[[ end ]].
[[- range $r := var "receivers" . ]][[ if $r.secret_key ]]
Receiver [[ $r.name | quote ]] reads its secret from key [[ $r.secret_key | quote ]] of the Nomad Variable [[ template "alertmanager.secrets_path" $ ]]: nomad var put [[ template "alertmanager.secrets_path" $ ]] [[ $r.secret_key ]]=...
[[- end ]][[ end ]]
[[- if $c.connect ]]
With Connect it is reachable through the mesh only: add an upstream { destination_name = [[ var "service_name" . | quote ]], local_bind_port = 9093 } (the prometheus pack does with connect).
[[- else ]]
Find its address with: nomad service info [[ var "service_name" . ]]
Then: curl http://<address>/api/v2/alerts ; amtool --alertmanager.url=http://<address> alert query
[[- end ]]
