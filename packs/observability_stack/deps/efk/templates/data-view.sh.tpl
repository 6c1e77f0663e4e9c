[[- $c := dict "root" . "in_job" false ]][[ template "efk.init" $c ]]
[[- if and $c.kb.enabled $c.kb.data_view ]][[ template "efk.data_view_sh" $c ]]
[[ end -]]
