[[- /*
  Helpers of the efk pack. "efk.init" validates the variables and fills a context dict with
  the values every template derives from them (Connect on/off, images, Elasticsearch address),
  which the job and the files in config/ (its template blocks) are built from.

  Usage at the top of a template:
    [[- $c := dict "root" . ]][[ template "efk.init" $c ]]
*/ -]]

[[- define "efk.fail_port" -]]
[[- if or (lt (float64 .value) 1.0) (gt (float64 .value) 65535.0) ]][[ fail (printf "efk: %s must be a port in 1..65535 (got %v)" .name .value) ]][[ end -]]
[[- end -]]

[[- define "efk.fail_volume" -]]
[[- $v := .volume -]]
[[- if $v.enabled -]]
[[- if not (has $v.type (list "host" "csi")) ]][[ fail (printf "efk: %s.volume.type must be \"host\" or \"csi\" (got %q)" .name $v.type) ]][[ end -]]
[[- if eq $v.source "" ]][[ fail (printf "efk: %s.volume.source must name the host volume or CSI volume (got \"\")" .name) ]][[ end -]]
[[- if not (hasPrefix "/" $v.mount_path) ]][[ fail (printf "efk: %s.volume.mount_path must be an absolute path in the container (got %q)" .name $v.mount_path) ]][[ end -]]
[[- if not (has $v.access_mode (list "single-node-reader-only" "single-node-writer" "multi-node-reader-only" "multi-node-single-writer" "multi-node-multi-writer")) ]][[ fail (printf "efk: %s.volume.access_mode is not a CSI access mode (got %q)" .name $v.access_mode) ]][[ end -]]
[[- if not (has $v.attachment_mode (list "file-system" "block-device")) ]][[ fail (printf "efk: %s.volume.attachment_mode must be \"file-system\" or \"block-device\" (got %q)" .name $v.attachment_mode) ]][[ end -]]
[[- end -]]
[[- end -]]

[[- define "efk.init" -]]
[[- $r := .root -]]
[[- $provider := var "service_provider" $r -]]
[[- template "pack_helpers.check_choice" (dict "pack" "efk" "name" "service_provider" "value" $provider "allowed" (list "consul" "nomad")) -]]
[[- $connect_var := var "connect" $r | toString -]]
[[- template "pack_helpers.check_choice" (dict "pack" "efk" "name" "connect" "value" $connect_var "allowed" (list "auto" "true" "false")) -]]
[[- if and (eq $connect_var "true") (eq $provider "nomad") ]][[ fail "efk: connect = true needs service_provider = \"consul\"; Consul Connect does not exist with the nomad provider (got service_provider = \"nomad\")" ]][[ end -]]
[[- $connect := eq (tpl `[[ template "pack_helpers.connect" (vars .) ]]` $r) "true" -]]

[[- $es := var "elasticsearch" $r -]]
[[- $fl := var "fluentd" $r -]]
[[- $kb := var "kibana" $r -]]
[[- $ing := var "ingress" $r -]]
[[- $sec := var "security" $r -]]
[[- $ver := var "versions" $r -]]
[[- if not (or $es.enabled $fl.enabled $kb.enabled) ]][[ fail "efk: elasticsearch, fluentd and kibana are all disabled; enable at least one (got enabled = false for all three)" ]][[ end -]]

[[- if not (regexMatch "^[0-9]+\\.[0-9]+\\.[0-9]+$" $ver.elastic) ]][[ fail (printf "efk: versions.elastic must be a release number like 8.19.2 (got %q)" $ver.elastic) ]][[ end -]]

[[- /* Elasticsearch */ -]]
[[- template "efk.fail_port" (dict "name" "elasticsearch.port" "value" $es.port) -]]
[[- if $es.enabled -]]
[[- if lt (float64 $es.heap_mb) 256.0 ]][[ fail (printf "efk: elasticsearch.heap_mb must be at least 256 (got %v)" $es.heap_mb) ]][[ end -]]
[[- if lt (float64 $es.resources.memory) (mulf $es.heap_mb 2) ]][[ fail (printf "efk: elasticsearch.resources.memory must be at least twice elasticsearch.heap_mb (the heap may use half the memory; got memory = %v, heap_mb = %v)" $es.resources.memory $es.heap_mb) ]][[ end -]]
[[- if ne (var "elasticsearch_url" $r) "" ]][[ fail (printf "efk: elasticsearch_url is only used with elasticsearch.enabled = false; this job runs its own Elasticsearch (got elasticsearch_url = %q)" (var "elasticsearch_url" $r)) ]][[ end -]]
[[- template "efk.fail_volume" (dict "name" "elasticsearch" "volume" $es.volume) -]]
[[- end -]]

[[- /* Where Fluentd and Kibana find Elasticsearch: Connect upstream, service discovery or a URL. */ -]]
[[- $es_scheme := "http" -]][[- $es_host := "" -]][[- $es_port := "" -]]
[[- if $es.enabled -]]
[[- if $connect -]]
[[- $es_host = "127.0.0.1" ]][[ $es_port = "9200" -]]
[[- else -]]
[[- $lookup := ternary "nomadService" "service" (eq $provider "nomad") -]]
[[- $es_host = printf "{{ range $i, $s := %s %q }}{{ if eq $i 0 }}{{ $s.Address }}{{ end }}{{ end }}" $lookup $es.service_name -]]
[[- $es_port = printf "{{ range $i, $s := %s %q }}{{ if eq $i 0 }}{{ $s.Port }}{{ end }}{{ end }}" $lookup $es.service_name -]]
[[- end -]]
[[- else if or $fl.enabled $kb.enabled -]]
[[- $url := var "elasticsearch_url" $r -]]
[[- if eq $url "" ]][[ fail "efk: elasticsearch_url is required when elasticsearch.enabled = false, because Fluentd and Kibana need the address of an existing Elasticsearch (got \"\")" ]][[ end -]]
[[- if not (regexMatch "^https?://[A-Za-z0-9.-]+:[0-9]+/?$" $url) ]][[ fail (printf "efk: elasticsearch_url must look like http(s)://host:port (got %q)" $url) ]][[ end -]]
[[- $es_scheme = regexReplaceAll "^(https?)://.*$" $url "${1}" -]]
[[- $es_host = regexReplaceAll "^https?://([A-Za-z0-9.-]+):.*$" $url "${1}" -]]
[[- $es_port = regexReplaceAll "^https?://[A-Za-z0-9.-]+:([0-9]+)/?$" $url "${1}" -]]
[[- template "efk.fail_port" (dict "name" "the port of elasticsearch_url" "value" (atoi $es_port)) -]]
[[- end -]]

[[- /* Fluentd */ -]]
[[- if $fl.enabled -]]
[[- if lt (float64 $fl.count) 1.0 ]][[ fail (printf "efk: fluentd.count must be at least 1 (got %v)" $fl.count) ]][[ end -]]
[[- template "efk.fail_port" (dict "name" "fluentd.port" "value" $fl.port) -]]
[[- if ne (float64 $fl.static_port) 0.0 ]][[ template "efk.fail_port" (dict "name" "fluentd.static_port" "value" $fl.static_port) ]][[ end -]]
[[- if not (regexMatch "^[A-Za-z0-9_.*{},-]+$" $fl.match_pattern) ]][[ fail (printf "efk: fluentd.match_pattern must be one Fluentd tag pattern (letters, digits, . _ - * { } ,) without spaces (got %q)" $fl.match_pattern) ]][[ end -]]
[[- if not (regexMatch "^[a-z0-9][a-z0-9_.-]*$" $fl.index_prefix) ]][[ fail (printf "efk: fluentd.index_prefix must be a lowercase Elasticsearch index name part (got %q)" $fl.index_prefix) ]][[ end -]]
[[- if not (regexMatch "^[0-9]+(s|m|h)$" $fl.flush_interval) ]][[ fail (printf "efk: fluentd.flush_interval must be a duration like 10s, 1m or 1h (got %q)" $fl.flush_interval) ]][[ end -]]
[[- template "efk.fail_volume" (dict "name" "fluentd" "volume" $fl.volume) -]]
[[- end -]]

[[- /* Kibana */ -]]
[[- if $kb.enabled -]]
[[- if lt (float64 $kb.count) 1.0 ]][[ fail (printf "efk: kibana.count must be at least 1 (got %v)" $kb.count) ]][[ end -]]
[[- template "efk.fail_port" (dict "name" "kibana.port" "value" $kb.port) -]]
[[- if ne (float64 $kb.static_port) 0.0 -]]
[[- template "efk.fail_port" (dict "name" "kibana.static_port" "value" $kb.static_port) -]]
[[- if $connect ]][[ fail (printf "efk: kibana.static_port publishes Kibana outside the mesh and is only for Connect off; with Connect use ingress (got static_port = %v)" $kb.static_port) ]][[ end -]]
[[- end -]]
[[- template "efk.fail_volume" (dict "name" "kibana" "volume" $kb.volume) -]]
[[- end -]]

[[- /* Ingress gateway */ -]]
[[- template "efk.fail_port" (dict "name" "ingress.port" "value" $ing.port) -]]
[[- if $ing.enabled -]]
[[- if eq $provider "nomad" ]][[ fail "efk: ingress.enabled needs service_provider = \"consul\" because the ingress gateway is a Consul Connect gateway (got service_provider = \"nomad\")" ]][[ end -]]
[[- if not $connect ]][[ fail (printf "efk: ingress.enabled needs Connect because the ingress gateway routes to Kibana through the mesh (got connect = %q)" $connect_var) ]][[ end -]]
[[- if not $kb.enabled ]][[ fail "efk: ingress.enabled publishes Kibana, but kibana.enabled = false" ]][[ end -]]
[[- end -]]

[[- /* Security */ -]]
[[- $var_path := $sec.nomad_var_path -]]
[[- if eq $var_path "" ]][[ $var_path = printf "nomad/jobs/%s" (var "job_name" $r) ]][[ end -]]
[[- if and $sec.enabled (not (regexMatch "^[A-Za-z0-9/_.-]+$" $var_path)) ]][[ fail (printf "efk: security.nomad_var_path must be a Nomad Variable path (letters, digits, / _ . -) (got %q)" $var_path) ]][[ end -]]

[[- $_ := set . "provider" $provider -]]
[[- $_ := set . "connect" $connect -]]
[[- $_ := set . "connect_var" $connect_var -]]
[[- $_ := set . "es" $es -]]
[[- $_ := set . "fl" $fl -]]
[[- $_ := set . "kb" $kb -]]
[[- $_ := set . "ingress" $ing -]]
[[- $_ := set . "security" $sec.enabled -]]
[[- $_ := set . "var_path" $var_path -]]
[[- $_ := set . "es_scheme" $es_scheme -]]
[[- $_ := set . "es_host" $es_host -]]
[[- $_ := set . "es_port" $es_port -]]
[[- $_ := set . "es_url" (printf "%s://%s:%s" $es_scheme $es_host $es_port) -]]
[[- $_ := set . "es_image" (ternary (printf "docker.elastic.co/elasticsearch/elasticsearch:%s" $ver.elastic) $es.image (eq $es.image "")) -]]
[[- $_ := set . "kb_image" (ternary (printf "docker.elastic.co/kibana/kibana:%s" $ver.elastic) $kb.image (eq $kb.image "")) -]]
[[- $_ := set . "fl_image" (ternary (printf "efk-fluentd:%s-es%s" $ver.fluentd $ver.elastic) $fl.image (eq $fl.image "")) -]]
[[- $_ := set . "versions" $ver -]]
[[- $_ := set . "job_name" (var "job_name" $r) -]]
[[- end -]]

[[- /* The files of config/, rendered for the job's template blocks (heredocs): ${ and %{ are HCL's
  there, so they are escaped as $${ and %%{, which HCL turns back: the task gets the file as written. */ -]]
[[- define "efk.config_file" -]]
[[ tpl (fileRelative (printf "config/%s" .file) .c.root) .c | trimSuffix "\n" | replace "${" "$${" | replace "%{" "%%{" ]]
[[- end -]]

[[- define "efk.fluent_conf" -]][[ template "efk.config_file" (dict "c" . "file" "fluent.conf") ]][[- end -]]

[[- define "efk.elasticsearch_yml" -]][[ template "efk.config_file" (dict "c" . "file" "elasticsearch.yml") ]][[- end -]]

[[- define "efk.kibana_yml" -]][[ template "efk.config_file" (dict "c" . "file" "kibana.yml") ]][[- end -]]

[[- /* A group volume block; dict "name" "volume". */ -]]
[[- define "efk.volume" -]]
[[- $v := .volume ]]
    volume [[ .name | quote ]] {
      type      = [[ $v.type | quote ]]
      source    = [[ $v.source | quote ]]
      read_only = [[ $v.read_only ]]
[[- if eq $v.type "csi" ]]
      access_mode     = [[ $v.access_mode | quote ]]
      attachment_mode = [[ $v.attachment_mode | quote ]]
[[- end ]]
    }
[[- end -]]

[[- define "efk.sidecar_task" ]]
        sidecar_task {
          resources {
            cpu    = [[ (var "sidecar_resources" .).cpu ]]
            memory = [[ (var "sidecar_resources" .).memory ]]
          }
        }
[[- end -]]

[[- /* Nomad template data: a password read from the job's Nomad Variable. dict "path" "key". */ -]]
[[- define "efk.secret" -]]
{{ with nomadVar [[ .path | quote ]] }}{{ .[[ .key ]] }}{{ end }}
[[- end -]]


[[- /* Shell scripts of the poststart tasks (POSIX sh in the curl image). */ -]]
[[- define "efk.security_setup_sh" -]][[ template "efk.config_file" (dict "c" . "file" "security-setup.sh") ]][[- end -]]

[[- define "efk.es_health_sh" -]][[ template "efk.config_file" (dict "c" . "file" "es-health.sh") ]][[- end -]]

[[- define "efk.data_view_sh" -]][[ template "efk.config_file" (dict "c" . "file" "data-view.sh") ]][[- end -]]
