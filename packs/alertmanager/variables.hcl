# The interface of the alertmanager pack. Invalid values stop the render with a message
# (see templates/_helpers.tpl, "alertmanager.validate").

variable "enabled" {
  description = "false renders no job: lets a stack pack such as observability_stack leave this component out (`--var <component>.enabled=false`), like a Helm sub-chart's `<chart>.enabled`."
  type        = bool
  default     = true
}

variable "job_name" {
  description = "The name of the Nomad job."
  type        = string
  default     = "alertmanager"
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

variable "resources" {
  description = "CPU (MHz) and memory (MB) of the Alertmanager task."
  type = object({
    cpu    = number
    memory = number
  })
  default = {
    cpu    = 100
    memory = 128
  }
}

variable "service_provider" {
  description = "Where Alertmanager registers (Prometheus finds it there): \"consul\" or \"nomad\"."
  type        = string
  default     = "consul"
}

variable "connect" {
  description = "Consul Connect sidecar: \"auto\" (on with consul, off with nomad or raw_exec), \"true\" or \"false\"."
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

variable "service_name" {
  description = "The name Alertmanager registers under (the prometheus pack looks for \"alertmanager\")."
  type        = string
  default     = "alertmanager"
}

variable "port" {
  description = "The host port of the Alertmanager API without Connect; 0 picks a dynamic port. With Connect it is reached through the mesh only."
  type        = number
  default     = 9093
}

variable "driver" {
  description = "Task driver: \"docker\" (image), \"exec\" or \"raw_exec\" (binary_path, optionally fetched by artifact_source)."
  type        = string
  default     = "docker"
}

variable "image" {
  description = "The Alertmanager image (docker driver)."
  type        = string
  default     = "prom/alertmanager:v0.35.0"
}

variable "binary_path" {
  description = "The Alertmanager binary for exec/raw_exec: an absolute host path, or a path under local/ when artifact_source fetches it."
  type        = string
  default     = "/usr/local/bin/alertmanager"
}

variable "artifact_source" {
  description = "A go-getter URL of an Alertmanager release archive fetched into local/ (exec/raw_exec); empty means none."
  type        = string
  default     = ""
}

variable "user" {
  description = "The uid (or name) the task runs as with docker and exec; empty keeps the driver's default. raw_exec runs as the Nomad client's user."
  type        = string
  default     = "65534"
}

variable "volume" {
  description = "Where silences and the notification log live: a host or CSI volume when enabled, else the allocation directory (lost with the allocation)."
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
    source     = "alertmanager-vol"
    mount_path = "/alertmanager"
  }
}

variable "retention" {
  description = "How long silences and the notification log are kept (--data.retention)."
  type        = string
  default     = "120h"
}

variable "external_url" {
  description = "The URL Alertmanager is reached at by people (links in notifications, --web.external-url); empty means its own address."
  type        = string
  default     = ""
}

variable "secrets_path" {
  description = "The Nomad Variable that holds the receivers' secrets (read with nomadVar; each receiver names its key in secret_key); empty means nomad/jobs/<job_name>. The task waits until it exists when a receiver has a secret_key."
  type        = string
  default     = ""
}

variable "receivers" {
  description = "Where notifications go. type \"webhook\" (url, or the URL in the secret), \"email\" (to, from, smarthost, auth_username; the SMTP password in the secret) or \"slack\" (channel; the Slack webhook URL in the secret). secret_key names the key of the secret in the Nomad Variable secrets_path; secrets never have defaults. No receiver: alerts are kept and shown by Alertmanager's API but sent nowhere."
  type = list(object({
    name          = string
    type          = string
    secret_key    = optional(string, "")
    url           = optional(string, "")
    to            = optional(string, "")
    from          = optional(string, "")
    smarthost     = optional(string, "")
    auth_username = optional(string, "")
    require_tls   = optional(bool, true)
    channel       = optional(string, "")
    send_resolved = optional(bool, true)
  }))
  default = []
}

variable "route" {
  description = "The top-level route: its receiver (empty means the first of receivers), how alerts are grouped and how often a group is notified."
  type = object({
    receiver        = optional(string, "")
    group_by        = optional(list(string), ["alertname", "job"])
    group_wait      = optional(string, "30s")
    group_interval  = optional(string, "5m")
    repeat_interval = optional(string, "4h")
  })
  default = {}
}

variable "routes" {
  description = "Child routes tried in order: alerts matching all matchers (Alertmanager matcher syntax, e.g. severity=\"critical\") go to receiver; continue = true keeps looking at the next routes."
  type = list(object({
    receiver = string
    matchers = list(string)
    continue = optional(bool, false)
  }))
  default = []
}

variable "inhibit_critical" {
  description = "Mute a warning while a critical alert with the same alertname and job fires."
  type        = bool
  default     = true
}
