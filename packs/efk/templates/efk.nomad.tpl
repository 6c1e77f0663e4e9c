[[- /* enabled = false: nothing but whitespace is rendered (nomad-pack then writes no job) and no variable is validated. */ -]]
[[- if var "enabled" . -]]
[[- $c := dict "root" . ]][[ template "efk.init" $c ]]
[[- $es := $c.es ]][[ $fl := $c.fl ]][[ $kb := $c.kb ]]
job [[ $c.job_name | quote ]] {
  [[- template "pack_helpers.placement" (vars .) ]]
  type = "service"
  [[- if $es.enabled ]]

  # Elasticsearch: one node (discovery.type = single-node), data on a volume.
  group "elasticsearch" {
    count = 1

    network {
      [[- if $c.connect ]]
      mode = "bridge"
      [[- if not $c.security ]]
      port "es_health" {
        to = -1
      }
      [[- end ]]
      [[- else ]]
      port "http" {
        to = [[ $es.port ]]
      }
      [[- end ]]
    }
    [[- if $es.volume.enabled ]]
    [[ template "efk.volume" (dict "name" "data" "volume" $es.volume) ]]
    [[- end ]]

    service {
      name     = [[ $es.service_name | quote ]]
      provider = [[ $c.provider | quote ]]
      port     = [[ ternary ($es.port | toString) "http" $c.connect | quote ]]
      tags     = ["efk", "elasticsearch"]
      [[- if $c.connect ]]

      connect {
        sidecar_service {
          [[- if not $c.security ]]
          # The health API published for the check on its own port. Envoy matches the path
          # without the query string, so the path is exposed here rather than by the check
          # (whose query, wait_for_status, must reach Elasticsearch).
          proxy {
            expose {
              path {
                path            = "/_cluster/health"
                protocol        = "http"
                local_path_port = [[ $es.port ]]
                listener_port   = "es_health"
              }
            }
          }
          [[- end ]]
        }
        [[- template "efk.sidecar_task" . ]]
      }
      [[- end ]]
      [[- if not $c.security ]]

      # Healthy when the cluster is at least yellow (single node: replicas stay unassigned).
      check {
        name     = "cluster health"
        type     = "http"
        path     = "/_cluster/health?wait_for_status=yellow&timeout=1s"
        interval = "20s"
        timeout  = "5s"
        [[- if $c.connect ]]
        port = "es_health"
        [[- end ]]
      }
      [[- else if eq $c.provider "consul" ]]

      # Security on: the health API needs credentials, so the check runs inside the task and
      # reads the password from its secrets directory (never from the job).
      check {
        name     = "cluster health"
        type     = "script"
        task     = "elasticsearch"
        command  = "/bin/sh"
        args     = ["/local/es-health.sh"]
        interval = "20s"
        timeout  = "5s"
      }
      [[- else ]]

      # Security on with Nomad services: only http and tcp checks exist and the health API
      # needs credentials, so this checks that the HTTP port accepts connections.
      check {
        name     = "http port"
        type     = "tcp"
        interval = "20s"
        timeout  = "5s"
      }
      [[- end ]]
    }

    task "elasticsearch" {
      driver = "docker"
      user   = "1000:0"

      config {
        image = [[ $c.es_image | quote ]]
        [[- if not $c.connect ]]
        ports = ["http"]
        [[- end ]]

        ulimit {
          nofile = "65535:65535"
        }

        mount {
          type     = "bind"
          source   = "local/elasticsearch.yml"
          target   = "/usr/share/elasticsearch/config/elasticsearch.yml"
          readonly = true
        }
      }

      env {
        ES_JAVA_OPTS = "-Xms[[ $es.heap_mb ]]m -Xmx[[ $es.heap_mb ]]m"
        [[- if $c.security ]]
        ELASTIC_PASSWORD_FILE = "/secrets/elastic_password"
        [[- end ]]
      }

      template {
        destination = "local/elasticsearch.yml"
        change_mode = "restart"
        data        = <<EOH
[[ template "efk.elasticsearch_yml" $c ]]
EOH
      }
      [[- if $c.security ]]

      [[- if eq $c.provider "consul" ]]

      template {
        destination = "local/es-health.sh"
        data        = <<EOH
[[ template "efk.es_health_sh" $c ]]
EOH
      }
      [[- end ]]

      template {
        destination = "secrets/elastic_password"
        change_mode = "restart"
        perms       = "0400"
        uid         = 1000
        data        = <<EOH
[[ template "efk.secret" (dict "path" $c.var_path "key" "elastic_password") ]]
EOH
      }
      [[- end ]]
      [[- if $es.volume.enabled ]]

      volume_mount {
        volume      = "data"
        destination = [[ $es.volume.mount_path | quote ]]
        read_only   = [[ $es.volume.read_only ]]
      }
      [[- end ]]

      resources {
        cpu    = [[ $es.resources.cpu ]]
        memory = [[ $es.resources.memory ]]
      }
    }
    [[- if $c.security ]]

    # Security on: sets the kibana_system password and creates the fluentd user (a writer of
    # <index_prefix>-* indices only). Every call is a PUT, so running it again changes nothing.
    task "security-setup" {
      driver = "docker"
      user   = "65534:65534"

      lifecycle {
        hook    = "poststart"
        sidecar = false
      }

      config {
        image   = [[ $kb.setup_image | quote ]]
        command = "/bin/sh"
        args    = ["/local/security-setup.sh"]
      }

      env {
        ES_URL = [[ ternary (printf "http://127.0.0.1:%v" $es.port) "http://${NOMAD_ADDR_http}" $c.connect | quote ]]
      }

      template {
        destination = "local/security-setup.sh"
        data        = <<EOH
[[ template "efk.security_setup_sh" $c ]]
EOH
      }

      template {
        destination = "secrets/elastic_password"
        perms       = "0400"
        uid         = 65534
        data        = <<EOH
[[ template "efk.secret" (dict "path" $c.var_path "key" "elastic_password") ]]
EOH
      }

      template {
        destination = "secrets/kibana_system.json"
        perms       = "0400"
        uid         = 65534
        data        = <<EOH
{{ with nomadVar [[ $c.var_path | quote ]] }}{"password": {{ .kibana_system_password | toJSON }}}{{ end }}
EOH
      }

      template {
        destination = "secrets/fluentd_user.json"
        perms       = "0400"
        uid         = 65534
        data        = <<EOH
{{ with nomadVar [[ $c.var_path | quote ]] }}{"password": {{ .fluentd_password | toJSON }}, "roles": ["efk_log_writer"]}{{ end }}
EOH
      }

      resources {
        cpu    = 50
        memory = 64
      }
    }
    [[- end ]]
  }
  [[- end ]]
  [[- if $fl.enabled ]]

  # Fluentd: forward input for the docker fluentd log driver, output to Elasticsearch.
  group "fluentd" {
    count = [[ $fl.count ]]

    network {
      [[- if $c.connect ]]
      mode = "bridge"
      port "fluentd_health" {
        to = -1
      }
      [[- end ]]
      port "forward" {
        [[- if ne (float64 $fl.static_port) 0.0 ]]
        static = [[ $fl.static_port ]]
        [[- end ]]
        to = [[ $fl.port ]]
      }
    }
    [[- if $fl.volume.enabled ]]
    [[ template "efk.volume" (dict "name" "buffer" "volume" $fl.volume) ]]
    [[- end ]]

    service {
      name     = [[ $fl.service_name | quote ]]
      provider = [[ $c.provider | quote ]]
      port     = "forward"
      tags     = ["efk", "fluentd"]
      [[- if $c.connect ]]

      connect {
        sidecar_service {
          proxy {
            [[- if $es.enabled ]]
            upstreams {
              destination_name = [[ $es.service_name | quote ]]
              local_bind_port  = 9200
            }
            [[- end ]]

            # Fluentd's monitor_agent (127.0.0.1:24220 in the namespace) published for the
            # check; "expose = true" on the check would point at the forward port instead.
            expose {
              path {
                path            = "/api/plugins.json"
                protocol        = "http"
                local_path_port = 24220
                listener_port   = "fluentd_health"
              }
            }
          }
        }
        [[- template "efk.sidecar_task" . ]]
      }
      [[- end ]]

      [[- if $c.connect ]]

      # Connect services cannot have tcp checks: Fluentd's monitor_agent answers over HTTP.
      check {
        name     = "monitor agent"
        type     = "http"
        path     = "/api/plugins.json"
        port     = "fluentd_health"
        interval = "20s"
        timeout  = "5s"
      }
      [[- else ]]

      check {
        name     = "forward input"
        type     = "tcp"
        port     = "forward"
        interval = "20s"
        timeout  = "5s"
      }
      [[- end ]]
    }

    task "fluentd" {
      driver = "docker"
      user   = "fluent"

      config {
        image = [[ $c.fl_image | quote ]]
        [[- if not $c.connect ]]
        ports = ["forward"]
        [[- end ]]

        mount {
          type     = "bind"
          source   = "local/fluent.conf"
          target   = "/fluentd/etc/fluent.conf"
          readonly = true
        }
      }

      template {
        destination = "local/fluent.conf"
        change_mode = "restart"
        data        = <<EOH
[[ template "efk.fluent_conf" $c ]]
EOH
      }
      [[- if $c.security ]]

      template {
        destination = "secrets/fluentd_password"
        change_mode = "restart"
        perms       = "0444"
        data        = <<EOH
[[ template "efk.secret" (dict "path" $c.var_path "key" "fluentd_password") ]]
EOH
      }
      [[- end ]]
      [[- if $fl.volume.enabled ]]

      volume_mount {
        volume      = "buffer"
        destination = [[ $fl.volume.mount_path | quote ]]
        read_only   = [[ $fl.volume.read_only ]]
      }
      [[- end ]]

      resources {
        cpu    = [[ $fl.resources.cpu ]]
        memory = [[ $fl.resources.memory ]]
      }
    }
  }
  [[- end ]]
  [[- if $kb.enabled ]]

  # Kibana, reading Elasticsearch; a poststart task creates the log data view.
  group "kibana" {
    count = [[ $kb.count ]]

    network {
      [[- if $c.connect ]]
      mode = "bridge"
      port "kibana_health" {
        to = -1
      }
      [[- else ]]
      port "http" {
        [[- if ne (float64 $kb.static_port) 0.0 ]]
        static = [[ $kb.static_port ]]
        [[- end ]]
        to = [[ $kb.port ]]
      }
      [[- end ]]
    }
    [[- if $kb.volume.enabled ]]
    [[ template "efk.volume" (dict "name" "data" "volume" $kb.volume) ]]
    [[- end ]]

    service {
      name     = [[ $kb.service_name | quote ]]
      provider = [[ $c.provider | quote ]]
      port     = [[ ternary ($kb.port | toString) "http" $c.connect | quote ]]
      tags     = ["efk", "kibana"]
      [[- if $c.connect ]]

      connect {
        sidecar_service {
          [[- if $es.enabled ]]
          proxy {
            upstreams {
              destination_name = [[ $es.service_name | quote ]]
              local_bind_port  = 9200
            }
          }
          [[- end ]]
        }
        [[- template "efk.sidecar_task" . ]]
      }
      [[- end ]]

      # /api/status answers 200 only when Kibana is available.
      check {
        name     = "status"
        type     = "http"
        path     = "/api/status"
        interval = "20s"
        timeout  = "5s"
        [[- if $c.connect ]]
        expose = true
        port   = "kibana_health"
        [[- end ]]
      }
    }

    task "kibana" {
      driver = "docker"
      user   = "1000:0"

      config {
        image = [[ $c.kb_image | quote ]]
        [[- if not $c.connect ]]
        ports = ["http"]
        [[- end ]]

        mount {
          type     = "bind"
          source   = "local/kibana.yml"
          target   = "/usr/share/kibana/config/kibana.yml"
          readonly = true
        }
      }

      template {
        destination = "local/kibana.yml"
        change_mode = "restart"
        data        = <<EOH
[[ template "efk.kibana_yml" $c ]]
EOH
      }
      [[- if $c.security ]]

      template {
        destination = "secrets/kibana.env"
        env         = true
        change_mode = "restart"
        data        = <<EOH
ELASTICSEARCH_PASSWORD={{ with nomadVar [[ $c.var_path | quote ]] }}{{ .kibana_system_password | toJSON }}{{ end }}
EOH
      }
      [[- end ]]
      [[- if $kb.volume.enabled ]]

      volume_mount {
        volume      = "data"
        destination = [[ $kb.volume.mount_path | quote ]]
        read_only   = [[ $kb.volume.read_only ]]
      }
      [[- end ]]

      resources {
        cpu    = [[ $kb.resources.cpu ]]
        memory = [[ $kb.resources.memory ]]
      }
    }
    [[- if $kb.data_view ]]

    # Creates the "[[ $fl.index_prefix ]]-*" data view once Kibana answers; skips it when it exists.
    task "data-view" {
      driver = "docker"
      user   = "65534:65534"

      lifecycle {
        hook    = "poststart"
        sidecar = false
      }

      config {
        image   = [[ $kb.setup_image | quote ]]
        command = "/bin/sh"
        args    = ["/local/data-view.sh"]
      }

      env {
        KIBANA_URL = [[ ternary (printf "http://127.0.0.1:%v" $kb.port) "http://${NOMAD_ADDR_http}" $c.connect | quote ]]
      }

      template {
        destination = "local/data-view.sh"
        data        = <<EOH
[[ template "efk.data_view_sh" $c ]]
EOH
      }
      [[- if $c.security ]]

      template {
        destination = "secrets/elastic_password"
        perms       = "0400"
        uid         = 65534
        data        = <<EOH
[[ template "efk.secret" (dict "path" $c.var_path "key" "elastic_password") ]]
EOH
      }
      [[- end ]]

      resources {
        cpu    = 50
        memory = 64
      }
    }
    [[- end ]]
  }
  [[- end ]]
  [[- if $c.ingress.enabled ]]

  # Consul ingress gateway publishing Kibana on a static port (as the original's kibana-ingress).
  [[- template "pack_helpers.ingress_gateway" (dict "group" "kibana-ingress" "gateway" (printf "%s-ingress" $kb.service_name) "service" $kb.service_name "port" $c.ingress.port "provider" "consul" "tags" (list "efk" "ingress") "shutdown_delay" "5s" "cpu" (var "sidecar_resources" .).cpu "memory" (var "sidecar_resources" .).memory) ]]
  [[- end ]]
}
[[ end -]]
