[[- $c := dict "root" . "in_job" false ]][[ template "efk.init" $c ]]
[[- if $c.kb.enabled ]][[ template "efk.kibana_yml" $c ]]
[[ end -]]
