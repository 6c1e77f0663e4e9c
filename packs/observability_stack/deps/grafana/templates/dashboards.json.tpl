[[- /* Every provisioned dashboard in one JSON object {file name: dashboard}, for the tests. */ -]]
[[- template "grafana.validate" . -]]
{
[[- range $i, $d := var "dashboards" . ]][[ if $i ]],[[ end ]]
[[ $d | toJson ]]: [[ template "grafana.dashboard" (list $ $d) ]]
[[- end ]]
}
