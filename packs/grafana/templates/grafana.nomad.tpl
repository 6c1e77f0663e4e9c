[[- /* enabled = false: nothing but whitespace is rendered (nomad-pack then writes no job) and no variable is validated. */ -]]
[[- if var "enabled" . -]]
[[- $c := dict "root" . ]][[ template "grafana.init" $c ]]
[[- $volume := var "volume" . ]][[ $ingress := var "ingress" . ]]
job [[ template "grafana.job_name" . ]] {
  [[- template "pack_helpers.placement" (vars .) ]]
  type = "service"
  [[- if $ingress.enabled ]]

  # The Consul ingress gateway publishing Grafana on a static port of the node (as the original).
  # Its Envoy task is written out (Nomad would inject the same one) so the job validates offline.
  [[- template "pack_helpers.ingress_gateway" (dict "group" (printf "%s-ingress" (var "service_name" .)) "gateway" (printf "%s-ingress" (var "service_name" .)) "service" (var "service_name" .) "port" $ingress.port "cpu" 100 "memory" 128) ]]
  [[- end ]]

  group "grafana" {
    count = [[ var "count" . ]]

    network {
      [[- if $c.connect ]]
      mode = "bridge"
      [[- else ]]
      port "http" {
        [[- if ne (int (var "port" .)) 0 ]]
        static = [[ var "port" . ]]
        [[- end ]]
        to = 3000
      }
      [[- end ]]
    }
    [[- if $volume.enabled ]]

    volume "grafana-data" {
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
      port     = [[ ternary "3000" "http" $c.connect | quote ]]
      tags     = ["grafana"]
      [[- if $c.connect ]]

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = [[ var "prometheus_service" . | quote ]]
              local_bind_port  = 9090
            }
          }
        }

        sidecar_task {
          resources {
            cpu    = [[ var "sidecar_resources.cpu" . ]]
            memory = [[ var "sidecar_resources.memory" . ]]
          }
        }
      }
      [[- end ]]

      check {
        name     = "health"
        type     = "http"
        path     = "/api/health"
        interval = "10s"
        timeout  = "2s"
        [[- if $c.connect ]]
        expose = true
        [[- end ]]
      }
    }

    task "grafana" {
      driver = "docker"
      user   = [[ var "user" . | quote ]]

      config {
        image = [[ var "image" . | quote ]]
        [[- if not $c.connect ]]
        ports = ["http"]
        [[- end ]]
      }

      env {
        GF_SERVER_HTTP_ADDR            = [[ ternary "127.0.0.1" "0.0.0.0" $c.connect | quote ]]
        GF_SERVER_HTTP_PORT            = "3000"
        GF_PATHS_DATA                  = [[ ternary $volume.mount_path "/alloc/data/grafana" $volume.enabled | quote ]]
        GF_PATHS_PROVISIONING          = "/local/provisioning"
        GF_AUTH_ANONYMOUS_ENABLED      = "false"
        GF_USERS_ALLOW_SIGN_UP         = "false"
        GF_ANALYTICS_REPORTING_ENABLED = "false"
        GF_ANALYTICS_CHECK_FOR_UPDATES = "false"
      }
      [[- if $volume.enabled ]]

      volume_mount {
        volume      = "grafana-data"
        destination = [[ $volume.mount_path | quote ]]
        read_only   = [[ $volume.read_only ]]
      }
      [[- end ]]

      # The admin account comes from a Nomad Variable, never from the job: the task waits until
      # it exists (nomad var put [[ template "grafana.admin_credentials_path" . ]] admin_user=... admin_password=...).
      template {
        destination = "secrets/admin.env"
        env         = true
        change_mode = "restart"
        data        = <<EOH
{{ with nomadVar [[ template "grafana.admin_credentials_path_quoted" . ]] -}}
GF_SECURITY_ADMIN_USER={{ .admin_user.Value | toJSON }}
GF_SECURITY_ADMIN_PASSWORD={{ .admin_password.Value | toJSON }}
{{- end }}
EOH
      }

      template {
        destination = "local/provisioning/datasources/prometheus.yml"
        change_mode = "restart"
        data        = <<EOH
[[ template "grafana.datasource_heredoc" . ]]
EOH
      }

      template {
        destination = "local/provisioning/dashboards/provider.yml"
        change_mode = "restart"
        data        = <<EOH
[[ template "grafana.dashboard_provider_heredoc" . ]]
EOH
      }
      [[- range $d := var "dashboards" . ]]

      # [[ $d ]] verbatim from the pack: its {{ }} are Grafana's, so Nomad gets other delimiters.
      template {
        destination     = [[ printf "local/dashboards/%s" $d | quote ]]
        change_mode     = "noop"
        left_delimiter  = "[%"
        right_delimiter = "%]"
        data            = <<EOH
[[ template "grafana.dashboard_heredoc" (list $ $d) ]]
EOH
      }
      [[- end ]]

      resources {
        cpu    = [[ var "resources.cpu" . ]]
        memory = [[ var "resources.memory" . ]]
      }
    }
  }
}
[[ end -]]
