[[- /* enabled = false: nothing but whitespace is rendered (nomad-pack then writes no job) and no variable is validated. */ -]]
[[- if var "enabled" . -]]
[[- $c := dict "root" . ]][[ template "node_exporter.init" $c ]]
[[- $driver := var "driver" . ]]
job [[ template "node_exporter.job_name" . ]] {
  [[- template "pack_helpers.placement" (vars .) ]]
  # One node_exporter on every eligible client: host metrics are per machine.
  type = "system"

  group "node_exporter" {
    # Host networking (no Connect): node_exporter reports the host's own interfaces, and it
    # listens on the client's address only, on the port Nomad gives it.
    network {
      port "http" {
        [[- if ne (int (var "port" .)) 0 ]]
        static = [[ var "port" . ]]
        [[- end ]]
      }
    }

    service {
      name     = [[ var "service_name" . | quote ]]
      provider = [[ var "service_provider" . | quote ]]
      port     = "http"
      tags     = ["node-exporter"]

      check {
        name     = "landing-page"
        type     = "http"
        path     = "/"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "node_exporter" {
      driver = [[ $driver | quote ]]
      [[- if and (ne $driver "raw_exec") (var "user" .) ]]
      user = [[ var "user" . | quote ]]
      [[- end ]]

      config {
        [[- if eq $driver "docker" ]]
        image        = [[ var "image" . | quote ]]
        network_mode = "host"
        pid_mode     = "host"
        # The host's file systems, read-only, for the filesystem collector (--path.rootfs).
        volumes = ["/:/host:ro,rslave"]
        [[- else ]]
        command = [[ var "binary_path" . | quote ]]
        [[- end ]]
        args = [
          "--web.listen-address=${NOMAD_ADDR_http}",
          [[- template "node_exporter.args" . ]]
        ]
      }
      [[- if var "artifact_source" . ]]

      artifact {
        source      = [[ var "artifact_source" . | quote ]]
        destination = "local/"
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
