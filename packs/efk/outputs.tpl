[[- $c := dict "root" . ]][[ template "efk.init" $c ]]
[[- $es := $c.es ]][[ $fl := $c.fl ]][[ $kb := $c.kb -]]
Deployed job [[ $c.job_name | quote ]] ([[ $c.provider ]] services, Connect [[ if $c.connect ]]on[[ else ]]off[[ end ]], security [[ if $c.security ]]on[[ else ]]OFF[[ end ]]):
[[- if $es.enabled ]]
  Elasticsearch  [[ $c.versions.elastic ]], service [[ $es.service_name | quote ]], single node, heap [[ $es.heap_mb ]] MB[[ if $es.volume.enabled ]], data on [[ $es.volume.type ]] volume [[ $es.volume.source | quote ]][[ end ]]
[[- else ]]
  Elasticsearch  not deployed; Fluentd and Kibana use [[ var "elasticsearch_url" . ]]
[[- end ]]
[[- if $fl.enabled ]]
  Fluentd        service [[ $fl.service_name | quote ]], forward input on port [[ $fl.port ]][[ if ne (float64 $fl.static_port) 0.0 ]] (host port [[ $fl.static_port ]])[[ end ]]; tags [[ $fl.match_pattern ]] -> indices [[ $fl.index_prefix ]]-<tag>-YYYY.MM.DD
                 image [[ $c.fl_image ]] (build it first: make image-fluentd)
[[- end ]]
[[- if $kb.enabled ]]
  Kibana         [[ $c.versions.elastic ]], service [[ $kb.service_name | quote ]][[ if $kb.data_view ]], data view "[[ $fl.index_prefix ]]-*" created by the data-view task[[ end ]]
[[- end ]]

  Status:     nomad job status [[ $c.job_name ]]
[[- range $s := list $es $fl $kb ]][[ if $s.enabled ]]
[[- if eq $c.provider "nomad" ]]
  Addresses:  nomad service info [[ $s.service_name ]]
[[- else ]]
  Addresses:  curl -s http://127.0.0.1:8500/v1/catalog/service/[[ $s.service_name ]]
[[- end ]]
[[- end ]][[ end ]]
[[- if $c.ingress.enabled ]]
  Kibana:     http://<client-address>:[[ $c.ingress.port ]]/  (ingress gateway [[ $kb.service_name ]]-ingress)
[[- else if and $kb.enabled (not $c.connect) ]]
  Kibana:     http://<address from above>/  (port [[ if ne (float64 $kb.static_port) 0.0 ]][[ $kb.static_port ]][[ else ]]dynamic[[ end ]])
[[- end ]]
  Services log here with the docker fluentd log driver: fluentd-address = <host>:<forward port of "[[ $fl.service_name ]]">, tag matching [[ $fl.match_pattern ]].
[[- if $c.security ]]
  Passwords come from the Nomad Variable [[ $c.var_path ]] (elastic_password, kibana_system_password, fluentd_password);
  the tasks wait until it exists:  nomad var put [[ $c.var_path ]] elastic_password=... kibana_system_password=... fluentd_password=...
[[- else ]]
  Security is OFF: anyone who can reach Elasticsearch or Kibana can read and delete every log (see the pack README).
[[- end ]]
