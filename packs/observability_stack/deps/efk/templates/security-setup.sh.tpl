[[- $c := dict "root" . "in_job" false ]][[ template "efk.init" $c ]]
[[- if and $c.es.enabled $c.security ]][[ template "efk.security_setup_sh" $c ]]
[[ end -]]
