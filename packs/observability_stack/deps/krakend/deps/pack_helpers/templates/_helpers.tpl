[[- /*
  Helpers shared by the packs of this registry, vendored into each as the nomad-pack dependency
  "pack_helpers" (packs/<pack>/deps/pack_helpers/, made by `make vendor`). nomad-pack parses the
  templates of a pack and all its dependencies into one set, so every define is prefixed with
  "pack_helpers." and takes its inputs as its argument (usually a dict, often `vars .` of the
  calling pack): these helpers never call `var`, since a dependency sees only its own variables.
  README.md lists what each one takes and returns.
*/ -]]

[[- /* Fails unless .value is one of .allowed, with the message the packs' refused-input tests
       match: `<pack>: <name> must be "a", "b" or "c" (got "x")`.
       Takes (dict "pack" "krakend" "name" "driver" "value" $driver "allowed" (list "docker" "exec")). */ -]]
[[- define "pack_helpers.check_choice" -]]
[[- $value := toString .value -]]
[[- if not (has $value .allowed) -]]
[[- $quoted := list -]]
[[- range $a := .allowed -]][[- $quoted = append $quoted (quote $a) -]][[- end -]]
[[- $choices := last $quoted -]]
[[- if gt (len $quoted) 1 -]]
[[- $choices = printf "%s or %s" (join ", " (initial $quoted)) (last $quoted) -]]
[[- end -]]
[[- fail (printf "%s: %s must be %s (got %q)" .pack .name $choices $value) -]]
[[- end -]]
[[- end -]]

[[- /* Prints "true" when a task group gets a Consul Connect sidecar, else "false": connect = "true",
       or "auto" with service_provider = "consul" and a driver that joins the bridge network
       namespace (not raw_exec; a pack without a driver variable runs docker).
       Takes a dict with connect ("auto", "true", "false" or a bool), service_provider and,
       optionally, driver: usually `vars .` of the calling pack. */ -]]
[[- define "pack_helpers.connect" -]]
[[- $c := toString .connect -]]
[[- if or (eq $c "true") (and (eq $c "auto") (eq (toString .service_provider) "consul") (ne (toString (.driver | default "docker")) "raw_exec")) -]]true
[[- else -]]false
[[- end -]]
[[- end -]]

[[- /* The job's placement: region and namespace (each only when not ""), datacenters, node_pool
       and one constraint block per entry of constraints, indented for the job block; prints a
       newline before each line, so call it as [[- template "pack_helpers.placement" (vars .) ]].
       Takes a dict with region, namespace, datacenters (list), node_pool and constraints (list
       of {attribute, operator, value}): usually `vars .` of the calling pack. */ -]]
[[- define "pack_helpers.placement" -]]
[[- if .region ]]
  region      = [[ .region | quote ]]
[[- end ]]
[[- if .namespace ]]
  namespace   = [[ .namespace | quote ]]
[[- end ]]
  datacenters = [[ .datacenters | toStringList ]]
  node_pool   = [[ .node_pool | quote ]]
[[- range $c := .constraints ]]

  constraint {
    attribute = [[ $c.attribute | quote ]]
    operator  = [[ $c.operator | quote ]]
    value     = [[ $c.value | quote ]]
  }
[[- end ]]
[[- end -]]

[[- /* A task group running a Consul ingress gateway that publishes one service of the mesh on a
       static host port. Its Envoy task is written out as Nomad would inject it (same image,
       bootstrap and arguments), so that the job validates without a server and its resources
       are visible. Prints a newline first, indented for the job block.
       Takes a dict: group (the task group's name), gateway (the gateway's service name),
       service (the service it publishes), port (the static port, listener and host),
       cpu and memory (the Envoy task's resources); optional: host_network (the client
       host_network the port binds to), provider (written when set), tags (list),
       shutdown_delay (of the Envoy task). */ -]]
[[- define "pack_helpers.ingress_gateway" ]]
  group [[ .group | quote ]] {
    network {
      mode = "bridge"

      port "inbound" {
        static = [[ .port ]]
        to     = [[ .port ]]
        [[- if .host_network ]]

        host_network = [[ .host_network | quote ]]
        [[- end ]]
      }
    }

    service {
      [[- if or .provider .tags ]]
      name     = [[ .gateway | quote ]]
      [[- if .provider ]]
      provider = [[ .provider | quote ]]
      [[- end ]]
      port     = "inbound"
      [[- if .tags ]]
      tags     = [[ .tags | toStringList ]]
      [[- end ]]
      [[- else ]]
      name = [[ .gateway | quote ]]
      port = "inbound"
      [[- end ]]

      connect {
        gateway {
          proxy {}

          ingress {
            listener {
              port     = [[ .port ]]
              protocol = "tcp"

              service {
                name = [[ .service | quote ]]
              }
            }
          }
        }
      }
    }

    task [[ printf "connect-ingress-%s" .gateway | quote ]] {
      [[- if .shutdown_delay ]]
      driver         = "docker"
      kind           = [[ printf "connect-ingress:%s" .gateway | quote ]]
      shutdown_delay = [[ .shutdown_delay | quote ]]
      [[- else ]]
      driver = "docker"
      kind   = [[ printf "connect-ingress:%s" .gateway | quote ]]
      [[- end ]]

      config {
        image = "${meta.connect.gateway_image}"
        args = [
          "-c", "${NOMAD_SECRETS_DIR}/envoy_bootstrap.json",
          "-l", "${meta.connect.log_level}",
          "--concurrency", "${meta.connect.proxy_concurrency}",
          "--disable-hot-restart",
        ]
      }

      resources {
        cpu    = [[ .cpu ]]
        memory = [[ .memory ]]
      }
    }
  }
[[- end -]]
