[[- $c := dict "root" . "in_job" false ]][[ template "efk.init" $c ]]
[[- if $c.fl.enabled ]][[ template "efk.fluent_conf" $c ]]
[[ end -]]
