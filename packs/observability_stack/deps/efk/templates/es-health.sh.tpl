[[- $c := dict "root" . "in_job" false ]][[ template "efk.init" $c ]]
[[- if and $c.es.enabled $c.security (eq $c.provider "consul") ]][[ template "efk.es_health_sh" $c ]]
[[ end -]]
