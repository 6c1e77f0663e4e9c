# The interface of the prometheus pack. Invalid values stop the render with a message
# (see templates/_helpers.tpl, "prometheus.validate").

variable "enabled" {
  description = "false renders no job: lets a stack pack such as observability_stack leave this component out (`--var <component>.enabled=false`), like a Helm sub-chart's `<chart>.enabled`."
  type        = bool
  default     = true
}

variable "job_name" {
  description = "The name of the Nomad job."
  type        = string
  default     = "prometheus"
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
  description = "How many Prometheus instances to run; each scrapes every target on its own."
  type        = number
  default     = 1
}

variable "resources" {
  description = "CPU (MHz) and memory (MB) of the Prometheus task."
  type = object({
    cpu    = number
    memory = number
  })
  default = {
    cpu    = 500
    memory = 512
  }
}

variable "service_provider" {
  description = "Where services are registered and discovered: \"consul\" (consul_sd_configs) or \"nomad\" (see nomad_discovery)."
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
  description = "The name Prometheus registers itself under (Grafana finds it by this name)."
  type        = string
  default     = "prometheus"
}

variable "port" {
  description = "The host port of the Prometheus UI/API without Connect; 0 picks a dynamic port. With Connect, Prometheus is reached through the mesh only."
  type        = number
  default     = 9090
}

variable "driver" {
  description = "Task driver: \"docker\" (image), \"exec\" or \"raw_exec\" (binary_path, optionally fetched by artifact_source)."
  type        = string
  default     = "docker"
}

variable "image" {
  description = "The Prometheus image (docker driver)."
  type        = string
  default     = "prom/prometheus:v3.5.1"
}

variable "binary_path" {
  description = "The Prometheus binary for exec/raw_exec: an absolute host path, or a path under local/ when artifact_source fetches it."
  type        = string
  default     = "/usr/bin/prometheus"
}

variable "artifact_source" {
  description = "A go-getter URL of a Prometheus release archive fetched into local/ (exec/raw_exec); empty means none."
  type        = string
  default     = ""
}

variable "user" {
  description = "The uid (or name) the task runs as with docker and exec; empty keeps the driver's default. raw_exec runs as the Nomad client's user."
  type        = string
  default     = "65534"
}

variable "volume" {
  description = "Where the TSDB lives: a host or CSI volume when enabled, else the allocation directory (lost with the allocation)."
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
    source     = "prometheus-vol"
    mount_path = "/prometheus"
  }
}

variable "retention_time" {
  description = "How long samples are kept (--storage.tsdb.retention.time)."
  type        = string
  default     = "15d"
}

variable "scrape_interval" {
  description = "The global scrape interval."
  type        = string
  default     = "15s"
}

variable "evaluation_interval" {
  description = "How often the rules are evaluated; empty means scrape_interval."
  type        = string
  default     = ""
}

variable "consul_address" {
  description = "host:port of the Consul HTTP API for consul_sd_configs; empty means the client node's address, port 8500."
  type        = string
  default     = ""
}

variable "nomad_discovery" {
  description = "With service_provider = \"nomad\": \"template\" (Nomad renders the targets from nomadService into a file_sd file; works with every Prometheus build, no address or token) or \"nomad_sd\" (nomad_sd_configs against nomad_address; needs a Prometheus built with Nomad discovery, which Debian's is not)."
  type        = string
  default     = "template"
}

variable "nomad_address" {
  description = "URL of the Nomad HTTP API for nomad_discovery = \"nomad_sd\" and, with the nomad provider, the agent scraped as job \"nomad\"; empty means http://<client node address>:4646 (http://127.0.0.1:4646 on a dev agent)."
  type        = string
  default     = ""
}

variable "scrape_services" {
  description = "The services to discover and scrape. The scrape job is named after the service (job=\"prototype\")."
  type = list(object({
    name         = string
    metrics_path = optional(string, "/metrics")
    scheme       = optional(string, "http")
  }))
  default = [
    {
      name = "prototype"
    },
    {
      name = "node-exporter"
    },
  ]
}

variable "alertmanagers" {
  description = "Where alerts are sent: every instance of the Alertmanager service service_name, found like the scraped services (with Connect: through an upstream on 127.0.0.1:9093). No such service deployed: nothing is sent."
  type = object({
    enabled      = optional(bool, true)
    service_name = optional(string, "alertmanager")
  })
  default = {}
}

variable "nomad_agents" {
  description = "Scrape the Nomad agents' own metrics (/v1/metrics?format=prometheus, job=\"nomad\"; the agents need telemetry { prometheus_metrics = true }). addresses: host:port of their HTTP APIs; empty means found in Consul (services \"nomad\" and \"nomad-client\", tag http) with service_provider = \"consul\", and the agent of nomad_address with \"nomad\"."
  type = object({
    enabled   = optional(bool, true)
    addresses = optional(list(string), [])
    scheme    = optional(string, "http")
  })
  default = {}
}

variable "alert_rules" {
  description = "The built-in alerts to load for the scraped services: any of \"InstanceDown\", \"HighErrorRatio\", \"HighLatencyP99\"."
  type        = list(string)
  default     = ["InstanceDown", "HighErrorRatio", "HighLatencyP99"]
}

variable "alert_thresholds" {
  description = "Thresholds of the built-in alerts: down time, 5xx ratio (0..1), p99 latency in seconds, the rate window and how long a condition must hold."
  type = object({
    instance_down_for   = optional(string, "1m")
    error_ratio         = optional(number, 0.05)
    latency_p99_seconds = optional(number, 0.5)
    window              = optional(string, "5m")
    for                 = optional(string, "5m")
  })
  default = {}
}

variable "extra_rules" {
  description = "More rules appended to the rules file: alerting (alert set) or recording (record set) rules."
  type = list(object({
    alert       = optional(string, "")
    record      = optional(string, "")
    expr        = string
    for         = optional(string, "")
    labels      = optional(map(string), {})
    annotations = optional(map(string), {})
  }))
  default = []
}
