[[- /* enabled = false: nothing but whitespace is rendered (nomad-pack then writes no job) and no variable is validated. */ -]]
[[- if var "enabled" . -]]
[[- $c := dict "root" . ]][[ template "prototype_service.init" $c -]]
[[- $driver := var "driver" . -]]
[[- $name := var "service_name" . -]]
[[- $port := var "port" . -]]
[[- $check := var "health_check" . -]]
[[- $logs := var "fluentd_logging" . -]]
[[- $vol := var "volume" . -]]
[[- $update := var "update" . -]]
[[- $ingress := var "ingress" . -]]
job [[ var "job_name" . | quote ]] {
  type = "service"
  [[- template "pack_helpers.placement" (vars .) ]]

  update {
    max_parallel      = [[ $update.max_parallel ]]
    health_check      = "checks"
    min_healthy_time  = [[ $update.min_healthy_time | quote ]]
    healthy_deadline  = [[ $update.healthy_deadline | quote ]]
    progress_deadline = [[ $update.progress_deadline | quote ]]
    auto_revert       = [[ $update.auto_revert ]]
  }

  group [[ $name | quote ]] {
    count = [[ var "count" . ]]

    # Deregister first, signal later: callers stop sending before the instance stops.
    shutdown_delay = [[ var "shutdown_delay" . | quote ]]

    network {
      [[- if $c.connect ]]
      mode = "bridge"

      port "expose" {
        to = -1
      }
      [[- else if eq $driver "docker" ]]
      port "http" {
        to = [[ $port ]]
      }
      [[- else ]]
      port "http" {}
      [[- end ]]
    }
    [[- if $vol.enabled ]]

    volume "data" {
      type      = [[ $vol.type | quote ]]
      source    = [[ $vol.source | quote ]]
      read_only = [[ $vol.read_only ]]
      [[- if eq $vol.type "csi" ]]

      access_mode     = [[ $vol.access_mode | quote ]]
      attachment_mode = [[ $vol.attachment_mode | quote ]]
      [[- end ]]
    }
    [[- end ]]

    service {
      name     = [[ $name | quote ]]
      provider = [[ var "service_provider" . | quote ]]
      port     = [[ $c.service_port | quote ]]
      tags     = [[ prepend (var "service_tags" .) "metrics" | toStringList ]]

      meta {
        metrics_path = "/metrics"
        [[- if $c.connect ]]

        # Prometheus scrapes /metrics through the sidecar's expose listener at this address.
        sidecar_expose_addr = "${NOMAD_HOST_ADDR_expose}"
        [[- end ]]
      }
      [[- if $c.connect ]]

      connect {
        sidecar_service {
          proxy {
            expose {
              path {
                path            = "/metrics"
                protocol        = "http"
                local_path_port = [[ $port ]]
                listener_port   = "expose"
              }
            }
          }
        }

        sidecar_task {
          resources {
            cpu    = [[ (var "sidecar_resources" .).cpu ]]
            memory = [[ (var "sidecar_resources" .).memory ]]
          }
        }
      }
      [[- end ]]

      # Liveness: the process answers; after restart_after failures in a row the task is restarted.
      check {
        name     = "health"
        type     = "http"
        path     = "/health"
        interval = [[ $check.interval | quote ]]
        timeout  = [[ $check.timeout | quote ]]
        [[- if $c.connect ]]

        # Consul reaches the check through the sidecar.
        expose = true
        [[- end ]]

        check_restart {
          limit = [[ $check.restart_after ]]
          grace = "30s"
        }
      }

      # Readiness: the instance takes traffic; a deploy waits for it before replacing the next one.
      check {
        name      = "ready"
        type      = "http"
        path      = "/ready"
        interval  = [[ $check.interval | quote ]]
        timeout   = [[ $check.timeout | quote ]]
        on_update = "require_healthy"
        [[- if $c.connect ]]

        # Consul reaches the check through the sidecar.
        expose = true
        [[- end ]]
      }
    }

    task [[ $name | quote ]] {
      driver = [[ $driver | quote ]]
      [[- if ne (var "user" .) "" ]]

      user = [[ var "user" . | quote ]]
      [[- end ]]

      # The service stops taking connections on SIGTERM and drains within shutdown_timeout_secs.
      kill_signal  = "SIGTERM"
      kill_timeout = [[ var "kill_timeout" . | quote ]]
      [[- if and (ne $driver "docker") (ne (var "artifact_source" .) "") ]]

      artifact {
        source      = [[ var "artifact_source" . | quote ]]
        destination = "local/"
      }
      [[- end ]]

      config {
        [[- if eq $driver "docker" ]]
        image = [[ var "image" . | quote ]]
        [[- if not $c.connect ]]
        ports = ["http"]
        [[- end ]]

        mount {
          type     = "bind"
          source   = "local/application.toml"
          target   = "/etc/prototype-service/application.toml"
          readonly = true
        }
        [[- if $logs.enabled ]]

        logging {
          type = "fluentd"

          config {
            fluentd-address = "${FLUENTD_ADDRESS}"
            fluentd-async   = "true"
            tag             = [[ $logs.tag | quote ]]
          }
        }
        [[- end ]]
        [[- else ]]
        command = [[ template "prototype_service.binary" . ]]
        [[- end ]]
      }

      [[ template "prototype_service.env" . ]]

      # application.toml from the `config` variable: a change is a new job version, rolled out by `update`.
      template {
        destination = "local/application.toml"
        change_mode = "restart"
        data        = <<EOH
[[ template "prototype_service.config" . -]]
EOH
      }
      [[- if and $logs.enabled (eq $driver "docker") ]]

      # The Fluentd address for the docker log driver, looked up in the service catalogue.
      template {
        destination = "local/fluentd.env"
        env         = true
        change_mode = "restart"
        splay       = "30s"
        data        = <<EOH
FLUENTD_ADDRESS={{ range $i, $s := [[ if eq (var "service_provider" .) "nomad" ]]nomadService[[ else ]]service[[ end ]] "[[ $logs.service_name ]]" }}{{ if eq $i 0 }}{{ .Address }}:{{ .Port }}{{ end }}{{ else }}127.0.0.1:24224{{ end }}
EOH
      }
      [[- end ]]
      [[- if $vol.enabled ]]

      volume_mount {
        volume      = "data"
        destination = [[ $vol.mount_path | quote ]]
        read_only   = [[ $vol.read_only ]]
      }
      [[- end ]]

      resources {
        cpu    = [[ (var "resources" .).cpu ]]
        memory = [[ (var "resources" .).memory ]]
      }
    }
  }
  [[- if $ingress.enabled ]]

  # A Consul ingress gateway publishing the service on a static host port. Its Envoy task is
  # written out (Nomad would inject the same one) so that the job validates without a server.
  [[- template "pack_helpers.ingress_gateway" (dict "group" (printf "%s-ingress" $name) "gateway" (printf "%s-ingress" $name) "service" $name "port" $ingress.port "cpu" 100 "memory" 128) ]]
  [[- end ]]
}
[[ end -]]
