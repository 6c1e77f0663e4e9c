[[- /* Helpers of the prometheus pack. Every define is prefixed with the pack name. */ -]]

[[- define "prometheus.job_name" -]]
[[- var "job_name" . | quote -]]
[[- end -]]

[[- /* "true" when the Connect sidecar is on: connect = "auto" means on with consul, off with nomad
       or with raw_exec (which cannot join the bridge network namespace Connect needs). */ -]]
[[- define "prometheus.connect" -]]
[[- $c := toString (var "connect" .) -]]
[[- if eq $c "true" -]]true
[[- else if and (eq $c "auto") (eq (var "service_provider" .) "consul") (ne (var "driver" .) "raw_exec") -]]true
[[- else -]]false
[[- end -]]
[[- end -]]

[[- /* Called first by every template with (dict "root" .): validates the variables and sets
       .connect (bool) and .listen (the listen address) in the dict, so templates need no string comparisons of their own. */ -]]
[[- define "prometheus.init" -]]
[[- template "prometheus.validate" .root -]]
[[- $_ := set . "connect" (eq (tpl "[[ template \"prometheus.connect\" . ]]" .root) "true") -]]
[[- $_ := set . "listen" (tpl "[[ template \"prometheus.listen_address\" . ]]" .root) -]]
[[- end -]]

[[- /* The two config files as they go into the job's heredocs: HCL would read ${ and %{ as its own
       interpolation, so they are doubled ($${, %%{); HCL turns them back into ${ and %{. */ -]]
[[- define "prometheus.config_heredoc" -]]
[[ tpl "[[ template \"prometheus.config\" . ]]" . | replace "${" "$${" | replace "%{" "%%{" ]]
[[- end -]]

[[- define "prometheus.rules_heredoc" -]]
[[ tpl "[[ template \"prometheus.rules\" . ]]" . | replace "${" "$${" | replace "%{" "%%{" ]]
[[- end -]]

[[- /* Stops the render with a message naming the variable and the bad value. */ -]]
[[- define "prometheus.validate" -]]
[[- $provider := var "service_provider" . -]]
[[- if not (has $provider (list "consul" "nomad")) -]]
[[- fail (printf "prometheus: service_provider must be \"consul\" or \"nomad\" (got %q)" $provider) -]]
[[- end -]]
[[- if not (has (var "nomad_discovery" .) (list "template" "nomad_sd")) -]]
[[- fail (printf "prometheus: nomad_discovery must be \"template\" or \"nomad_sd\" (got %q)" (var "nomad_discovery" .)) -]]
[[- end -]]
[[- $connect := toString (var "connect" .) -]]
[[- if not (has $connect (list "auto" "true" "false")) -]]
[[- fail (printf "prometheus: connect must be \"auto\", \"true\" or \"false\" (got %q)" $connect) -]]
[[- end -]]
[[- $driver := var "driver" . -]]
[[- if not (has $driver (list "docker" "exec" "raw_exec")) -]]
[[- fail (printf "prometheus: driver must be \"docker\", \"exec\" or \"raw_exec\" (got %q)" $driver) -]]
[[- end -]]
[[- if and (eq $connect "true") (eq $provider "nomad") -]]
[[- fail "prometheus: connect = true needs service_provider = \"consul\" (got service_provider = \"nomad\"); use connect = \"auto\" or \"false\"" -]]
[[- end -]]
[[- if and (eq $connect "true") (eq $driver "raw_exec") -]]
[[- fail "prometheus: connect = true cannot work with driver = \"raw_exec\" (it does not join the bridge network); use docker or exec, or connect = \"false\"" -]]
[[- end -]]
[[- if lt (float64 (var "count" .)) 1.0 -]]
[[- fail (printf "prometheus: count must be at least 1 (got %v)" (var "count" .)) -]]
[[- end -]]
[[- $port := float64 (var "port" .) -]]
[[- if or (lt $port 0.0) (gt $port 65535.0) -]]
[[- fail (printf "prometheus: port must be 0 (dynamic) or in 1..65535 (got %v)" (var "port" .)) -]]
[[- end -]]
[[- if and (ne $driver "docker") (not (var "binary_path" .)) -]]
[[- fail (printf "prometheus: binary_path must be set with driver = %q" $driver) -]]
[[- end -]]
[[- if (var "volume.enabled" .) -]]
[[- if not (has (var "volume.type" .) (list "host" "csi")) -]]
[[- fail (printf "prometheus: volume.type must be \"host\" or \"csi\" (got %q)" (var "volume.type" .)) -]]
[[- end -]]
[[- if not (var "volume.source" .) -]]
[[- fail "prometheus: volume.source must name the host or CSI volume when volume.enabled = true" -]]
[[- end -]]
[[- if not (hasPrefix "/" (var "volume.mount_path" .)) -]]
[[- fail (printf "prometheus: volume.mount_path must be an absolute path (got %q)" (var "volume.mount_path" .)) -]]
[[- end -]]
[[- if eq $driver "raw_exec" -]]
[[- fail "prometheus: volume.enabled = true cannot work with driver = \"raw_exec\" (it mounts no volumes); use docker or exec" -]]
[[- end -]]
[[- end -]]
[[- range $i, $s := var "scrape_services" . -]]
[[- $scheme := default "http" $s.scheme -]]
[[- $path := default "/metrics" $s.metrics_path -]]
[[- if not (regexMatch "^[A-Za-z0-9][A-Za-z0-9_.-]*$" $s.name) -]]
[[- fail (printf "prometheus: scrape_services[%d].name must be a service name (letters, digits, _ . -) (got %q)" $i $s.name) -]]
[[- end -]]
[[- if not (has $scheme (list "http" "https")) -]]
[[- fail (printf "prometheus: scrape_services[%d].scheme must be \"http\" or \"https\" (got %q)" $i $scheme) -]]
[[- end -]]
[[- if not (hasPrefix "/" $path) -]]
[[- fail (printf "prometheus: scrape_services[%d].metrics_path must start with / (got %q)" $i $path) -]]
[[- end -]]
[[- if or (eq $s.name "prometheus") (eq $s.name (var "service_name" $)) -]]
[[- fail (printf "prometheus: scrape_services[%d].name %q clashes with the self-scrape job \"prometheus\"" $i $s.name) -]]
[[- end -]]
[[- end -]]
[[- range $i, $r := var "alert_rules" . -]]
[[- if not (has $r (list "InstanceDown" "HighErrorRatio" "HighLatencyP99")) -]]
[[- fail (printf "prometheus: alert_rules[%d] must be one of InstanceDown, HighErrorRatio, HighLatencyP99 (got %q)" $i $r) -]]
[[- end -]]
[[- end -]]
[[- $ratio := float64 (var "alert_thresholds.error_ratio" .) -]]
[[- if or (le $ratio 0.0) (gt $ratio 1.0) -]]
[[- fail (printf "prometheus: alert_thresholds.error_ratio must be in (0, 1] (got %v)" (var "alert_thresholds.error_ratio" .)) -]]
[[- end -]]
[[- if le (float64 (var "alert_thresholds.latency_p99_seconds" .)) 0.0 -]]
[[- fail (printf "prometheus: alert_thresholds.latency_p99_seconds must be above 0 (got %v)" (var "alert_thresholds.latency_p99_seconds" .)) -]]
[[- end -]]
[[- range $i, $r := var "extra_rules" . -]]
[[- if eq (empty $r.alert) (empty $r.record) -]]
[[- fail (printf "prometheus: extra_rules[%d] must set exactly one of alert or record (got alert = %q, record = %q)" $i $r.alert $r.record) -]]
[[- end -]]
[[- if and $r.record (or $r.for $r.annotations) -]]
[[- fail (printf "prometheus: extra_rules[%d] is a recording rule (record = %q): for and annotations belong to alerting rules" $i $r.record) -]]
[[- end -]]
[[- end -]]
[[- end -]]

[[- /* region, namespace, datacenters, node_pool and constraints of the job. */ -]]
[[- define "prometheus.placement" -]]
[[- if var "region" . ]]
  region = [[ var "region" . | quote ]]
[[- end ]]
[[- if var "namespace" . ]]
  namespace = [[ var "namespace" . | quote ]]
[[- end ]]
  datacenters = [[ var "datacenters" . | toStringList ]]
  node_pool   = [[ var "node_pool" . | quote ]]
[[- range $c := var "constraints" . ]]

  constraint {
    attribute = [[ $c.attribute | quote ]]
    operator  = [[ $c.operator | quote ]]
    value     = [[ $c.value | quote ]]
  }
[[- end ]]
[[- end -]]

[[- /* The address Prometheus listens on (a task argument, so ${...} is Nomad interpolation).
       Connect: loopback of the allocation's network namespace, reached through the sidecar.
       docker without Connect: all addresses of the container, published through the port mapping.
       exec/raw_exec without Connect: the address Nomad allocated on the host. */ -]]
[[- define "prometheus.listen_address" -]]
[[- if eq (tpl "[[ template \"prometheus.connect\" . ]]" .) "true" -]]127.0.0.1:9090
[[- else if eq (var "driver" .) "docker" -]]0.0.0.0:9090
[[- else -]]${NOMAD_ADDR_http}
[[- end -]]
[[- end -]]

[[- /* The same address as seen from inside the task, for the self-scrape (Nomad template syntax). */ -]]
[[- define "prometheus.self_target" -]]
[[- if or (eq (tpl "[[ template \"prometheus.connect\" . ]]" .) "true") (eq (var "driver" .) "docker") -]]127.0.0.1:9090
[[- else -]]{{ env "NOMAD_ADDR_http" }}
[[- end -]]
[[- end -]]

[[- define "prometheus.consul_address" -]]
[[- coalesce (var "consul_address" .) "{{ env \"attr.unique.network.ip-address\" }}:8500" -]]
[[- end -]]

[[- define "prometheus.nomad_address" -]]
[[- coalesce (var "nomad_address" .) "http://{{ env \"attr.unique.network.ip-address\" }}:4646" -]]
[[- end -]]

[[- /* The file_sd targets of one service (nomad_discovery = "template"), in Nomad template syntax:
       Nomad lists the service's instances with nomadService. Called with (list $root $service). */ -]]
[[- define "prometheus.targets" -]]
[
{{- range $i, $s := nomadService [[ index . 1 | quote ]] }}{{ if $i }},{{ end }}
  {"targets": ["{{ $s.Address }}:{{ $s.Port }}"], "labels": {"node": "{{ $s.Node }}", "alloc_id": "{{ $s.AllocID }}"}}
{{- end }}
]
[[ end -]]

[[- /* prometheus.yml, for the job's template block (tests/packs/prometheus/check reads it back from
       the job and runs promtool on it). Nomad fills in {{ env "..." }} when it renders the file for the task. */ -]]
[[- define "prometheus.config" -]]
[[ tpl (fileRelative "config/prometheus.yml" .) . ]]
[[- end -]]

[[- /* The alert rules file. Its {{ $labels }} are Prometheus templating, so the job's template block
       for it uses other delimiters and Nomad leaves them alone. */ -]]
[[- define "prometheus.rules" -]]
[[ tpl (fileRelative "config/alerts.rules.yml" .) . ]]
[[- end -]]
