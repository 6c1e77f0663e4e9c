# The interface of the grafana pack. Invalid values stop the render with a message
# (see templates/_helpers.tpl, "grafana.validate").

variable "enabled" {
  description = "false renders no job: lets a stack pack such as observability_stack leave this component out (`--var <component>.enabled=false`), like a Helm sub-chart's `<chart>.enabled`."
  type        = bool
  default     = true
}

variable "job_name" {
  description = "The name of the Nomad job."
  type        = string
  default     = "grafana"
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
  description = "The datacenters the job may be placed in."
  type        = list(string)
  default     = ["*"]
}

variable "node_pool" {
  description = "The node pool the job is placed in."
  type        = string
  default     = "default"
}

variable "constraints" {
  description = "Placement constraints for the job."
  type = list(object({
    attribute = string
    operator  = string
    value     = string
  }))
  default = []
}

variable "count" {
  description = "How many Grafana instances to run (more than one needs a shared database, see the README)."
  type        = number
  default     = 1
}

variable "resources" {
  description = "CPU (MHz) and memory (MB) of the Grafana task."
  type = object({
    cpu    = number
    memory = number
  })
  default = {
    cpu    = 200
    memory = 256
  }
}

variable "service_provider" {
  description = "Where Grafana registers and finds Prometheus: \"consul\" or \"nomad\"."
  type        = string
  default     = "consul"
}

variable "connect" {
  description = "Consul Connect sidecar with an upstream to Prometheus: \"auto\" (on with consul, off with nomad), \"true\" or \"false\"."
  type        = string
  default     = "auto"
}

variable "sidecar_resources" {
  description = "CPU (MHz) and memory (MB) of the Connect sidecar proxy."
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
  description = "A Consul ingress gateway group publishing Grafana on a static host port (consul provider only)."
  type = object({
    enabled = bool
    port    = number
  })
  default = {
    enabled = false
    port    = 3000
  }
}

variable "service_name" {
  description = "The name Grafana registers under (the ingress gateway routes to it)."
  type        = string
  default     = "grafana"
}

variable "port" {
  description = "The host port of Grafana without Connect; 0 picks a dynamic port. With Connect it is reached through the mesh or the ingress gateway."
  type        = number
  default     = 3000
}

variable "image" {
  description = "The Grafana image (docker driver)."
  type        = string
  default     = "grafana/grafana:12.4.14"
}

variable "user" {
  description = "The uid the container runs as (Grafana's own uid in its image)."
  type        = string
  default     = "472"
}

variable "volume" {
  description = "Where Grafana keeps its database: a host or CSI volume when enabled, else the allocation directory."
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
    source     = "grafana-vol"
    mount_path = "/var/lib/grafana"
  }
}

variable "prometheus_service" {
  description = "The service name of Prometheus: the Connect upstream, or the service looked up with nomadService/service."
  type        = string
  default     = "prometheus"
}

variable "datasource" {
  description = "The provisioned Prometheus datasource: its name, its uid (dashboards select it through their $datasource variable) and the scrape interval it assumes."
  type = object({
    name            = optional(string, "Prometheus")
    uid             = optional(string, "prometheus")
    scrape_interval = optional(string, "15s")
  })
  default = {}
}

variable "dashboards" {
  description = "Dashboard files from the pack's dashboards/ folder to provision."
  type        = list(string)
  default     = ["prototype-echo.json", "prototype-service.json", "nomad-cluster.json", "hosts.json"]
}

variable "dashboards_folder" {
  description = "The Grafana folder the provisioned dashboards are put in."
  type        = string
  default     = "Prototype service"
}

variable "admin_credentials_path" {
  description = "The Nomad Variable holding admin_user and admin_password (read with nomadVar); empty means nomad/jobs/<job_name>. The task waits until it exists."
  type        = string
  default     = ""
}
