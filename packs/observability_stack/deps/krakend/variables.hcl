variable "enabled" {
  description = "false renders no job: lets a stack pack such as observability_stack leave this component out (`--var <component>.enabled=false`), like a Helm sub-chart's `<chart>.enabled`."
  type        = bool
  default     = true
}

# Placement

variable "job_name" {
  description = "Name of the Nomad job."
  type        = string
  default     = "krakend"
}

variable "region" {
  description = "Region to deploy to; empty leaves it to the agent."
  type        = string
  default     = ""
}

variable "namespace" {
  description = "Nomad namespace; empty leaves it to the agent."
  type        = string
  default     = ""
}

variable "datacenters" {
  description = "Datacenters the job may run in."
  type        = list(string)
  default     = ["*"]
}

variable "node_pool" {
  description = "Node pool the job runs in."
  type        = string
  default     = "default"
}

variable "constraints" {
  description = "Extra placement constraints, each an attribute, an operator and a value."
  type = list(object({
    attribute = string
    operator  = string
    value     = string
  }))
  default = []
}

# Discovery and mesh

variable "service_provider" {
  description = "Where the gateway is registered and its backends are found: \"consul\" (with Connect, as the original) or \"nomad\" (Nomad-native, backends found with nomadService)."
  type        = string
  default     = "consul"
}

variable "connect" {
  description = "Consul Connect sidecar with an upstream to the backend: \"auto\" (on with the consul provider, except for raw_exec, which cannot join the bridge network), \"true\" or \"false\"."
  type        = string
  default     = "auto"
}

variable "sidecar_resources" {
  description = "CPU (MHz) and memory (MB) of the Connect sidecar."
  type = object({
    cpu    = number
    memory = number
  })
  default = {
    cpu    = 50
    memory = 128
  }
}

variable "ingress" {
  description = "A Consul ingress gateway (service api-ingress) publishing the gateway on a static host port (needs Connect); host_network names the client host_network the port binds to (empty: the node's default network)."
  type = object({
    enabled      = bool
    port         = number
    host_network = optional(string, "")
  })
  default = {
    enabled = false
    port    = 80
  }
}

variable "service_name" {
  description = "Name of the gateway in the catalogue."
  type        = string
  default     = "api-gateway"
}

variable "port" {
  description = "Port KrakenD listens on inside its network namespace (docker, or any driver with Connect). Without a namespace the port is dynamic."
  type        = number
  default     = 8080
}

variable "backend" {
  description = "The service the endpoints call: its name in the catalogue and, with Connect, the local port its upstream is bound to."
  type = object({
    service         = string
    local_bind_port = number
  })
  default = {
    service         = "prototype"
    local_bind_port = 8001
  }
}

# Gateway configuration (krakend.json)

variable "endpoints" {
  description = "Published endpoints, each calling the backend: endpoint path and method, backend path and method, output_encoding (\"no-op\", the default, passes body and status through; otherwise the backend is decoded with backend_encoding), headers passed on, timeout."
  type = list(object({
    endpoint         = string
    method           = string
    backend_path     = string
    backend_method   = string
    output_encoding  = optional(string, "no-op")
    backend_encoding = optional(string, "json")
    input_headers    = optional(list(string), ["Content-Type", "X-Request-Id"])
    timeout          = optional(string, "3000ms")
  }))
  default = [
    {
      endpoint       = "/v1/echo"
      method         = "POST"
      backend_path   = "/echo"
      backend_method = "POST"
    },
  ]
}

variable "extra_endpoints" {
  description = "More endpoints, same shape as endpoints, added after them."
  type = list(object({
    endpoint         = string
    method           = string
    backend_path     = string
    backend_method   = string
    output_encoding  = optional(string, "no-op")
    backend_encoding = optional(string, "json")
    input_headers    = optional(list(string), ["Content-Type", "X-Request-Id"])
    timeout          = optional(string, "3000ms")
  }))
  default = []
}

variable "timeout" {
  description = "Default timeout of a request through the gateway."
  type        = string
  default     = "3000ms"
}

# Task

variable "count" {
  description = "Number of gateway instances."
  type        = number
  default     = 1
}

variable "driver" {
  description = "Task driver: \"docker\", \"exec\" or \"raw_exec\" (the last two run a krakend binary on hosts without Docker)."
  type        = string
  default     = "docker"
}

variable "image" {
  description = "KrakenD CE image (driver docker)."
  type        = string
  default     = "krakend:2.13"
}

variable "binary_path" {
  description = "krakend binary for exec/raw_exec: an absolute host path, or a path under local/ when artifact_source fetches it. Empty with artifact_source means local/krakend."
  type        = string
  default     = ""
}

variable "artifact_source" {
  description = "go-getter URL of the krakend binary (or an archive holding it), fetched into local/ for exec/raw_exec; empty fetches nothing."
  type        = string
  default     = ""
}

variable "resources" {
  description = "CPU (MHz) and memory (MB) of the KrakenD task."
  type = object({
    cpu    = number
    memory = number
  })
  default = {
    cpu    = 200
    memory = 128
  }
}

variable "health_check" {
  description = "Interval and timeout of the check on KrakenD's /__health."
  type = object({
    interval = string
    timeout  = string
  })
  default = {
    interval = "10s"
    timeout  = "2s"
  }
}

variable "shutdown_delay" {
  description = "Time between deregistering an instance and signalling it."
  type        = string
  default     = "5s"
}

variable "config_change_splay" {
  description = "Only with load_balancer off and no Connect: when the backend list changes, KrakenD is restarted after a random wait up to this long, so instances do not restart together. Keep it (plus 2s of template wait) below the backend's shutdown_delay."
  type        = string
  default     = "1s"
}

# Envoy beside KrakenD (without Connect)

variable "load_balancer" {
  description = "Envoy in the gateway's group when Connect is off, so that a new backend list restarts nothing: KrakenD calls Envoy on a local port; Envoy balances over the backend instances, reloads their list from a file a Nomad template renders, sends requests only to instances answering health_path (\"\" turns the check off) every health_interval, and retries a request on another instance (up to retries times) when a connection fails or is reset. enabled: \"auto\" (on whenever Connect is off), \"true\" or \"false\" (KrakenD gets the host list itself and restarts when it changes)."
  type = object({
    enabled         = string
    health_path     = string
    health_interval = string
    retries         = number
  })
  default = {
    enabled         = "auto"
    health_path     = "/ready"
    health_interval = "1s"
    retries         = 3
  }
}

variable "envoy_image" {
  description = "Envoy image of the load balancer (driver docker)."
  type        = string
  default     = "envoyproxy/envoy:v1.40.0"
}

variable "envoy_binary_path" {
  description = "Absolute path of the envoy binary the load balancer runs with exec/raw_exec (for exec, a path inside the task's chroot). No default: exec/raw_exec with the load balancer on need it."
  type        = string
  default     = ""
}

variable "envoy_resources" {
  description = "CPU (MHz) and memory (MB) of the load balancer's Envoy task."
  type = object({
    cpu    = number
    memory = number
  })
  default = {
    cpu    = 100
    memory = 128
  }
}

# Logs

variable "fluentd_logging" {
  description = "Send the container's stdout/stderr to Fluentd with the docker fluentd log driver (docker only). The address is looked up in the catalogue under service_name."
  type = object({
    enabled      = bool
    service_name = string
    tag          = string
  })
  default = {
    enabled      = false
    service_name = "fluentd"
    tag          = "api-gateway-group"
  }
}
