[[- $on := list ]][[ $off := list ]]
[[- range $label, $ctx := deps . ]][[ $v := vars $ctx ]]
[[- if or (not (hasKey $v "enabled")) $v.enabled ]][[ $on = append $on $label ]][[ else ]][[ $off = append $off $label ]][[ end ]]
[[- end -]]
The observability stack: [[ len $on ]] components, each its own job[[ with $off ]]; switched off: [[ join ", " (sortAlpha .) ]][[ end ]].
[[- range $label, $ctx := deps . ]][[ if has $label $on ]]

== [[ $label ]]
[[ tpl (fileRelative (printf "deps/%s/outputs.tpl" $label) $) $ctx | trim ]]
[[- end ]][[ end ]]
