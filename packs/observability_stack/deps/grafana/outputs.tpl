[[- $c := dict "root" . ]][[ template "grafana.init" $c ]]
Grafana is deployed as job [[ var "job_name" . | quote ]] ([[ var "image" . ]]), registered in [[ var "service_provider" . ]] as service [[ var "service_name" . | quote ]], with [[ len (var "dashboards" .) ]] dashboard(s) in folder [[ var "dashboards_folder" . | quote ]].
It starts once the Nomad Variable with the admin account exists:
  nomad var put [[ if var "namespace" . ]]-namespace [[ var "namespace" . ]] [[ end ]][[ template "grafana.admin_credentials_path" . ]] admin_user=admin admin_password=<a password of yours>
[[- if var "ingress.enabled" . ]]
Open http://<client node address>:[[ var "ingress.port" . ]]/ (Consul ingress gateway [[ printf "%s-ingress" (var "service_name" .) | quote ]]).
[[- else if $c.connect ]]
With Connect and no ingress it is reachable through the mesh only (set ingress.enabled = true to publish it).
[[- else ]]
Find its address with: nomad service info [[ var "service_name" . ]]   then open http://<address>/
[[- end ]]
