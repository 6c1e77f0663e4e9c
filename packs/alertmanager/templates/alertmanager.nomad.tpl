[[- /* enabled = false: nothing but whitespace is rendered (nomad-pack then writes no job) and no variable is validated. */ -]]
[[- if var "enabled" . -]]
[[- $c := dict "root" . ]][[ template "alertmanager.init" $c ]]
[[- $driver := var "driver" . ]][[ $volume := var "volume" . ]]
job [[ template "alertmanager.job_name" . ]] {
  [[- template "pack_helpers.placement" (vars .) ]]
  type = "service"

  # One instance: Alertmanager's own clustering (gossip between replicas) is switched off.
  group "alertmanager" {
    count = 1

    network {
      [[- if $c.connect ]]
      mode = "bridge"
      [[- else ]]
      port "http" {
        [[- if ne (int (var "port" .)) 0 ]]
        static = [[ var "port" . ]]
        [[- end ]]
        [[- if eq $driver "docker" ]]
        to = 9093
        [[- end ]]
      }
      [[- end ]]
    }
    [[- if $volume.enabled ]]

    volume "alertmanager-data" {
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
      port     = [[ ternary "9093" "http" $c.connect | quote ]]
      tags     = ["alertmanager"]
      [[- if $c.connect ]]

      connect {
        sidecar_service {}

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

    task "alertmanager" {
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
          "--config.file=${NOMAD_TASK_DIR}/alertmanager.yml",
          [[ printf "--storage.path=%s" (ternary $volume.mount_path "${NOMAD_ALLOC_DIR}/data/alertmanager" $volume.enabled) | quote ]],
          [[ printf "--data.retention=%s" (var "retention" .) | quote ]],
          [[ printf "--web.listen-address=%s" $c.listen | quote ]],
          [[- if var "external_url" . ]]
          [[ printf "--web.external-url=%s" (var "external_url" .) | quote ]],
          [[- end ]]
          # A single instance: no gossip listener for peers.
          "--cluster.listen-address=",
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
        volume      = "alertmanager-data"
        destination = [[ $volume.mount_path | quote ]]
        read_only   = [[ $volume.read_only ]]
      }
      [[- end ]]

      # Nomad re-renders this on change and sends SIGHUP: Alertmanager reloads without a restart.
      template {
        destination   = "local/alertmanager.yml"
        change_mode   = "signal"
        change_signal = "SIGHUP"
        data          = <<EOH
[[ template "alertmanager.config_heredoc" . ]]
EOH
      }
      [[- range $r := var "receivers" . ]]
      [[- if $r.secret_key ]]

      # The secret of receiver [[ $r.name ]] (key [[ $r.secret_key ]]), never in the job: the task waits
      # until it exists (nomad var put [[ template "alertmanager.secrets_path" $ ]] [[ $r.secret_key ]]=...).
      template {
        destination   = [[ printf "secrets/receivers/%s" $r.name | quote ]]
        change_mode   = "signal"
        change_signal = "SIGHUP"
        perms         = "0400"
        data          = <<EOH
{{ with nomadVar "[[ template "alertmanager.secrets_path" $ ]]" }}{{ (index . [[ $r.secret_key | quote ]]).Value }}{{ end }}
EOH
      }
      [[- end ]]
      [[- end ]]

      resources {
        cpu    = [[ var "resources.cpu" . ]]
        memory = [[ var "resources.memory" . ]]
      }
    }
  }
}
[[ end -]]
