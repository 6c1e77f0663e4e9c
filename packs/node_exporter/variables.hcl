# The interface of the node_exporter pack. Invalid values stop the render with a message
# (see templates/_helpers.tpl, "node_exporter.validate").

variable "enabled" {
  description = "false renders no job: lets a stack pack such as observability_stack leave this component out (`--var <component>.enabled=false`), like a Helm sub-chart's `<chart>.enabled`."
  type        = bool
  default     = true
}

variable "job_name" {
  description = "The name of the Nomad job."
  type        = string
  default     = "node_exporter"
}

variable "region" {
  description = "The Nomad region to deploy to; empty means the agent's region."
  type        = string
  default     = ""
}

variable "namespace" {
  description = "The Nomad namespace to deploy to; empty means the default namespace."
  type        = string
  default     = ""
}

variable "datacenters" {
  description = "The datacenters whose clients run node_exporter."
  type        = list(string)
  default     = ["*"]
}

variable "node_pool" {
  description = "The node pool whose clients run node_exporter; \"all\" means every client."
  type        = string
  default     = "all"
}

variable "constraints" {
  description = "Placement constraints: which clients get a node_exporter."
  type = list(object({
    attribute = string
    operator  = string
    value     = string
  }))
  default = []
}

variable "resources" {
  description = "CPU (MHz) and memory (MB) of the node_exporter task."
  type = object({
    cpu    = number
    memory = number
  })
  default = {
    cpu    = 100
    memory = 64
  }
}

variable "service_provider" {
  description = "Where each node_exporter registers (Prometheus finds them there): \"consul\" or \"nomad\"."
  type        = string
  default     = "consul"
}

variable "service_name" {
  description = "The name every node_exporter registers under (the prometheus pack scrapes \"node-exporter\")."
  type        = string
  default     = "node-exporter"
}

variable "port" {
  description = "The host port node_exporter listens on, on the client's address; 0 picks a dynamic port."
  type        = number
  default     = 9100
}

variable "driver" {
  description = "Task driver: \"docker\" (image, host network and PID namespace, the host's / mounted read-only), \"exec\" or \"raw_exec\" (binary_path, optionally fetched by artifact_source)."
  type        = string
  default     = "docker"
}

variable "image" {
  description = "The node_exporter image (docker driver)."
  type        = string
  default     = "prom/node-exporter:v1.12.1"
}

variable "binary_path" {
  description = "The node_exporter binary for exec/raw_exec: an absolute host path, or a path under local/ when artifact_source fetches it."
  type        = string
  default     = "/usr/bin/prometheus-node-exporter"
}

variable "artifact_source" {
  description = "A go-getter URL of a node_exporter release archive fetched into local/ (exec/raw_exec); empty means none."
  type        = string
  default     = ""
}

variable "user" {
  description = "The uid (or name) the task runs as with docker and exec; empty keeps the driver's default. raw_exec runs as the Nomad client's user."
  type        = string
  default     = "65534"
}

variable "collectors_enabled" {
  description = "Collectors switched on beyond node_exporter's defaults (--collector.<name>), e.g. \"systemd\", \"processes\"."
  type        = list(string)
  default     = []
}

variable "collectors_disabled" {
  description = "Default collectors switched off (--no-collector.<name>), e.g. \"wifi\", \"infiniband\"."
  type        = list(string)
  default     = []
}

variable "extra_args" {
  description = "More node_exporter flags, each a whole --flag=value, e.g. \"--collector.filesystem.mount-points-exclude=^/(dev|proc|sys)($|/)\"."
  type        = list(string)
  default     = []
}
