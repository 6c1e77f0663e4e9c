[[- /* enabled = false: nothing but whitespace is rendered (nomad-pack then writes no job) and no variable is validated. */ -]]
[[- if var "enabled" . -]]
[[- $c := dict "root" . ]][[ template "krakend.init" $c -]]
[[- $driver := var "driver" . -]]
[[- $name := var "service_name" . -]]
[[- $port := var "port" . -]]
[[- $check := var "health_check" . -]]
[[- $logs := var "fluentd_logging" . -]]
[[- $backend := var "backend" . -]]
[[- $ingress := var "ingress" . -]]
job [[ var "job_name" . | quote ]] {
  type = "service"
  [[- template "pack_helpers.placement" (vars .) ]]

  update {
    max_parallel     = 1
    health_check     = "checks"
    min_healthy_time = "10s"
    healthy_deadline = "3m"
    auto_revert      = true
  }

  group [[ $name | quote ]] {
    count = [[ var "count" . ]]

    # Deregister first, signal later: callers stop sending before the gateway stops.
    shutdown_delay = [[ var "shutdown_delay" . | quote ]]

    network {
      [[- if $c.connect ]]
      mode = "bridge"
      [[- else if eq $driver "docker" ]]
      port "http" {
        to = [[ $port ]]
      }
      [[- else ]]
      port "http" {}
      [[- end ]]
      [[- if $c.load_balancer ]]

      # Envoy, the load balancer KrakenD calls (see task "envoy").
      port "lb" {}
      [[- end ]]
    }

    service {
      name     = [[ $name | quote ]]
      provider = [[ var "service_provider" . | quote ]]
      port     = [[ $c.service_port | quote ]]
      [[- if $c.connect ]]

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = [[ $backend.service | quote ]]
              local_bind_port  = [[ $backend.local_bind_port ]]
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

      check {
        name     = "health"
        type     = "http"
        path     = "/__health"
        interval = [[ $check.interval | quote ]]
        timeout  = [[ $check.timeout | quote ]]
        [[- if $c.connect ]]

        # Consul reaches the check through the sidecar.
        expose = true
        [[- end ]]
      }
    }

    task "krakend" {
      driver = [[ $driver | quote ]]

      kill_signal  = "SIGTERM"
      kill_timeout = "10s"
      [[- if and (ne $driver "docker") (ne (var "artifact_source" .) "") ]]

      artifact {
        source      = [[ var "artifact_source" . | quote ]]
        destination = "local/"
      }
      [[- end ]]

      config {
        [[- if eq $driver "docker" ]]
        image = [[ var "image" . | quote ]]
        args  = ["run", "-c", [[ $c.config_path | quote ]]]
        [[- if not $c.connect ]]
        ports = ["http"]
        [[- end ]]

        mount {
          type     = "bind"
          source   = "local/krakend.json"
          target   = [[ $c.config_path | quote ]]
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
        command = [[ template "krakend.binary" . ]]
        args    = ["run", "-c", [[ $c.config_path | quote ]]]
        [[- end ]]
      }

      # krakend.json from config/krakend.json. When it lists the backends itself (no Connect and
      # no load balancer), a new list restarts KrakenD CE, which does not reload its configuration
      # (after a random splay, so instances do not restart together); render and restart must
      # finish within the backend's shutdown_delay (5s in prototype_service).
      template {
        destination = "local/krakend.json"
        change_mode = "restart"
        splay       = [[ var "config_change_splay" . | quote ]]

        wait {
          min = "500ms"
          max = "2s"
        }

        data = <<EOH
[[ template "krakend.config" . -]]
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
FLUENTD_ADDRESS={{ range $i, $s := [[ template "krakend.lookup" . ]] "[[ $logs.service_name ]]" }}{{ if eq $i 0 }}{{ .Address }}:{{ .Port }}{{ end }}{{ else }}127.0.0.1:24224{{ end }}
EOH
      }
      [[- end ]]

      resources {
        cpu    = [[ (var "resources" .).cpu ]]
        memory = [[ (var "resources" .).memory ]]
      }
    }
    [[- if $c.load_balancer ]]

    # Envoy, the load balancer of the backend calls (variable load_balancer): its endpoint list is
    # a template that Nomad replaces when backends come and go, and Envoy reloads it by itself, so
    # neither task restarts. It starts before KrakenD and stops after it.
    task "envoy" {
      driver = [[ $driver | quote ]]

      lifecycle {
        hook    = "prestart"
        sidecar = true
      }

      config {
        [[- if eq $driver "docker" ]]
        image = [[ var "envoy_image" . | quote ]]
        ports = ["lb"]
        [[- else ]]
        command = [[ var "envoy_binary_path" . | quote ]]
        [[- end ]]
        args = ["-c", "${NOMAD_TASK_DIR}/envoy.yaml", "--disable-hot-restart", "--concurrency", "1", "--log-level", "warn"]
      }

      template {
        destination = "local/envoy.yaml"

        data = <<EOH
[[ template "krakend.envoy_config" . -]]
EOH
      }

      # noop: Envoy sees the new file itself (it watches for a file moved onto the path, and Nomad
      # writes templates by renaming a temporary file over the old one).
      template {
        destination = "local/endpoints.yaml"
        change_mode = "noop"

        wait {
          min = "200ms"
          max = "1s"
        }

        data = <<EOH
[[ template "krakend.envoy_endpoints" . -]]
EOH
      }

      resources {
        cpu    = [[ (var "envoy_resources" .).cpu ]]
        memory = [[ (var "envoy_resources" .).memory ]]
      }
    }
    [[- end ]]
  }
  [[- if $ingress.enabled ]]

  # A Consul ingress gateway publishing the API on a static host port. Its Envoy task is
  # written out (Nomad would inject the same one) so that the job validates without a server.
  [[- template "pack_helpers.ingress_gateway" (dict "group" "api-ingress" "gateway" "api-ingress" "service" $name "port" $ingress.port "host_network" $ingress.host_network "cpu" 100 "memory" 128) ]]
  [[- end ]]
}
[[ end -]]
