[[- /* enabled = false: nothing but whitespace is rendered (nomad-pack then writes no job) and no variable is validated. */ -]]
[[- if var "enabled" . -]]
[[- $c := dict "root" . ]][[ template "prometheus.init" $c ]]
[[- $driver := var "driver" . ]][[ $volume := var "volume" . ]]
job [[ template "prometheus.job_name" . ]] {
  [[- template "pack_helpers.placement" (vars .) ]]
  type = "service"

  group "prometheus" {
    count = [[ var "count" . ]]

    network {
      [[- if $c.connect ]]
      mode = "bridge"
      [[- else ]]
      port "http" {
        [[- if ne (int (var "port" .)) 0 ]]
        static = [[ var "port" . ]]
        [[- end ]]
        [[- if eq $driver "docker" ]]
        to = 9090
        [[- end ]]
      }
      [[- end ]]
    }
    [[- if $volume.enabled ]]

    volume "prometheus-data" {
      type      = [[ $volume.type | quote ]]
      source    = [[ $volume.source | quote ]]
      read_only = [[ $volume.read_only ]]
      [[- if eq $volume.type "csi" ]]
      access_mode     = [[ $volume.access_mode | quote ]]
      attachment_mode = [[ $volume.attachment_mode | quote ]]
      [[- end ]]
    }
    [[- end ]]

    service {
      name     = [[ var "service_name" . | quote ]]
      provider = [[ var "service_provider" . | quote ]]
      port     = [[ ternary "9090" "http" $c.connect | quote ]]
      tags     = ["prometheus"]
      [[- if $c.connect ]]

      connect {
        [[- if var "alertmanagers.enabled" . ]]
        # Alerts go to Alertmanager through the mesh (prometheus.yml: alerting, 127.0.0.1:9093).
        sidecar_service {
          proxy {
            upstreams {
              destination_name = [[ var "alertmanagers.service_name" . | quote ]]
              local_bind_port  = 9093
            }
          }
        }
        [[- else ]]
        sidecar_service {}
        [[- end ]]

        sidecar_task {
          resources {
            cpu    = [[ var "sidecar_resources.cpu" . ]]
            memory = [[ var "sidecar_resources.memory" . ]]
          }
        }
      }
      [[- end ]]

      check {
        name     = "healthy"
        type     = "http"
        path     = "/-/healthy"
        interval = "10s"
        timeout  = "2s"
        [[- if $c.connect ]]
        expose = true
        [[- end ]]
      }

      check {
        name     = "ready"
        type     = "http"
        path     = "/-/ready"
        interval = "10s"
        timeout  = "2s"
        [[- if $c.connect ]]
        expose = true
        [[- end ]]
      }
    }

    task "prometheus" {
      driver = [[ $driver | quote ]]
      [[- if and (ne $driver "raw_exec") (var "user" .) ]]
      user = [[ var "user" . | quote ]]
      [[- end ]]

      config {
        [[- if eq $driver "docker" ]]
        image = [[ var "image" . | quote ]]
        [[- if not $c.connect ]]
        ports = ["http"]
        [[- end ]]
        [[- else ]]
        command = [[ var "binary_path" . | quote ]]
        [[- end ]]
        args = [
          "--config.file=${NOMAD_TASK_DIR}/prometheus.yml",
          [[ printf "--storage.tsdb.path=%s" (ternary $volume.mount_path "${NOMAD_ALLOC_DIR}/data/prometheus" $volume.enabled) | quote ]],
          [[ printf "--storage.tsdb.retention.time=%s" (var "retention_time" .) | quote ]],
          [[ printf "--web.listen-address=%s" $c.listen | quote ]],
        ]
      }
      [[- if var "artifact_source" . ]]

      artifact {
        source      = [[ var "artifact_source" . | quote ]]
        destination = "local/"
      }
      [[- end ]]
      [[- if $volume.enabled ]]

      volume_mount {
        volume      = "prometheus-data"
        destination = [[ $volume.mount_path | quote ]]
        read_only   = [[ $volume.read_only ]]
      }
      [[- end ]]

      # Nomad re-renders these on change and sends SIGHUP: Prometheus reloads without a restart.
      template {
        destination   = "local/prometheus.yml"
        change_mode   = "signal"
        change_signal = "SIGHUP"
        data          = <<EOH
[[ template "prometheus.config_heredoc" . ]]
EOH
      }
      [[- if and (eq (var "service_provider" .) "nomad") (eq (var "nomad_discovery" .) "template") ]]
      [[- range $s := var "scrape_services" . ]]

      # The instances of [[ $s.name ]] as Nomad lists them; Prometheus watches the file (file_sd).
      template {
        destination = [[ printf "local/targets/%s.json" $s.name | quote ]]
        change_mode = "noop"
        data        = <<EOH
[[ template "prometheus.targets" (list $ $s.name) ]]
EOH
      }
      [[- end ]]
      [[- if var "alertmanagers.enabled" . ]]

      # The Alertmanager instances as Nomad lists them (alerting: file_sd).
      template {
        destination = [[ printf "local/%s" $c.alertmanagers_file | quote ]]
        change_mode = "noop"
        data        = <<EOH
[[ template "prometheus.targets" (list $ (var "alertmanagers.service_name" .)) ]]
EOH
      }
      [[- end ]]
      [[- end ]]

      # The rules use Prometheus's own {{ $labels }} templating, so Nomad gets other delimiters.
      template {
        destination     = "local/alerts.rules.yml"
        change_mode     = "signal"
        change_signal   = "SIGHUP"
        left_delimiter  = "[%"
        right_delimiter = "%]"
        data            = <<EOH
[[ template "prometheus.rules_heredoc" . ]]
EOH
      }

      resources {
        cpu    = [[ var "resources.cpu" . ]]
        memory = [[ var "resources.memory" . ]]
      }
    }
  }
}
[[ end -]]
