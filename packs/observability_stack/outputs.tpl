The observability stack: [[ len (deps .) ]] components, each its own job.
[[- range $label, $ctx := deps . ]]

== [[ $label ]]
[[ tpl (fileRelative (printf "deps/%s/outputs.tpl" $label) $) $ctx | trim ]]
[[- end ]]
