# Placement

variable "enabled" {
  description = "false renders no job: lets a stack pack such as observability_stack leave this component out (`--var <component>.enabled=false`), like a Helm sub-chart's `<chart>.enabled`."
  type        = bool
  default     = true
}

variable "job_name" {
  description = "Name of the Nomad job."
  type        = string
  default     = "prototype_service"
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
  description = "Where the service is registered: \"consul\" (with Connect, as the original) or \"nomad\" (Nomad-native, no Consul)."
  type        = string
  default     = "consul"
}

variable "connect" {
  description = "Consul Connect sidecar: \"auto\" (on with the consul provider, except for raw_exec, which cannot join the bridge network), \"true\" or \"false\"."
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
  description = "A Consul ingress gateway publishing the service on a static host port (needs Connect)."
  type = object({
    enabled = bool
    port    = number
  })
  default = {
    enabled = false
    port    = 8001
  }
}

variable "service_name" {
  description = "Name of the service in the catalogue; the krakend and prometheus packs look for \"prototype\"."
  type        = string
  default     = "prototype"
}

variable "service_tags" {
  description = "Extra tags for the service registration (\"metrics\" is always there)."
  type        = list(string)
  default     = []
}

variable "port" {
  description = "Port the service listens on inside its network namespace (docker, or any driver with Connect). Without a namespace the port is dynamic."
  type        = number
  default     = 8001
}

variable "health_check" {
  description = "Interval and timeout of the /health (liveness) and /ready (readiness) checks; restart_after failed liveness checks restart the task."
  type = object({
    interval      = string
    timeout       = string
    restart_after = number
  })
  default = {
    interval      = "20s"
    timeout       = "5s"
    restart_after = 3
  }
}

# Task

variable "count" {
  description = "Number of instances."
  type        = number
  default     = 2
}

variable "driver" {
  description = "Task driver: \"docker\", \"exec\" or \"raw_exec\" (the last two run the release binary on hosts without Docker)."
  type        = string
  default     = "docker"
}

variable "image" {
  description = "Docker image (driver docker), as built by `make image`."
  type        = string
  default     = "prototype-service:0.1.0"
}

variable "binary_path" {
  description = "Binary to run with exec/raw_exec: an absolute host path, or a path under local/ when artifact_source fetches it. Empty with artifact_source means local/prototype-service."
  type        = string
  default     = ""
}

variable "artifact_source" {
  description = "go-getter URL of the binary (or an archive holding it), fetched into local/ for exec/raw_exec; empty fetches nothing."
  type        = string
  default     = ""
}

variable "user" {
  description = "User the task runs as; empty keeps the image's user (docker) or the client's default (exec/raw_exec)."
  type        = string
  default     = ""
}

variable "resources" {
  description = "CPU (MHz) and memory (MB) of the service task."
  type = object({
    cpu    = number
    memory = number
  })
  default = {
    cpu    = 100
    memory = 64
  }
}

variable "volume" {
  description = "An optional host or CSI volume mounted into the task."
  type = object({
    enabled         = bool
    type            = string
    source          = string
    mount_path      = string
    read_only       = optional(bool, false)
    access_mode     = optional(string, "single-node-writer")
    attachment_mode = optional(string, "file-system")
  })
  default = {
    enabled    = false
    type       = "host"
    source     = "prototype-vol"
    mount_path = "/var/lib/prototype-service"
  }
}

# Configuration

variable "profile" {
  description = "APP_PROFILE, comma-separated configuration profiles (the service refuses a profile without its application-<name>.toml). Empty: \"prod\" with docker (the image carries its files), none with exec/raw_exec (a bare binary has none; `config` already gives JSON logs)."
  type        = string
  default     = ""
}

variable "config" {
  description = "TOML written to /etc/prototype-service/application.toml (docker) or local/application.toml (exec/raw_exec). The listen address and port are set by the pack through APP_SERVER__HOST/APP_SERVER__PORT. A change rolls the instances one by one."
  type        = string
  default     = <<EOF
[server]
shutdown_timeout_secs = 4
keep_alive_secs = 5
max_body_bytes = 262144

[logging]
level = "info"
format = "json"
access_log = true
log_bodies = false

[metrics]
namespace = "prototype_service"
EOF
}

variable "env" {
  description = "Extra environment variables, e.g. {APP_LOGGING__LEVEL = \"debug\"}."
  type        = map(string)
  default     = {}
}

# Lifecycle

variable "kill_timeout" {
  description = "Time between SIGTERM and SIGKILL; longer than the service's shutdown_timeout_secs."
  type        = string
  default     = "10s"
}

variable "shutdown_delay" {
  description = "Time between deregistering an instance and signalling it, so callers stop sending to it first."
  type        = string
  default     = "5s"
}

variable "update" {
  description = "Rolling deploys: instances replaced at a time, how long a new one must stay healthy, deadlines, and rollback to the last good version on failure."
  type = object({
    max_parallel      = number
    min_healthy_time  = string
    healthy_deadline  = string
    progress_deadline = string
    auto_revert       = bool
  })
  default = {
    max_parallel      = 1
    min_healthy_time  = "10s"
    healthy_deadline  = "3m"
    progress_deadline = "10m"
    auto_revert       = true
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
    enabled      = true
    service_name = "fluentd"
    tag          = "prototype-group"
  }
}
