[[- $c := dict "root" . "in_job" false ]][[ template "efk.init" $c ]]
[[- if $c.es.enabled ]][[ template "efk.elasticsearch_yml" $c ]]
[[ end -]]
