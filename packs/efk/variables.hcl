# The interface of the efk pack. Invalid values stop the render with a message naming the
# variable (see templates/_helpers.tpl, "efk.validate").

variable "enabled" {
  description = "false renders no job: lets a stack pack such as observability_stack leave this component out (`--var <component>.enabled=false`), like a Helm sub-chart's `<chart>.enabled`."
  type        = bool
  default     = true
}

variable "job_name" {
  description = "The name of the Nomad job."
  type        = string
  default     = "efk"
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
  description = "Placement constraints for the whole job."
  type = list(object({
    attribute = string
    operator  = string
    value     = string
  }))
  default = []
}

variable "service_provider" {
  description = "Where services are registered and discovered: \"consul\" (as the original) or \"nomad\" (Nomad-native services, no Consul at all)."
  type        = string
  default     = "consul"
}

variable "connect" {
  description = "Consul Connect sidecars: \"auto\" (on with consul, off with nomad), \"true\" or \"false\"."
  type        = string
  default     = "auto"
}

variable "sidecar_resources" {
  description = "CPU (MHz) and memory (MB) of each Connect sidecar proxy."
  type = object({
    cpu    = number
    memory = number
  })
  default = {
    cpu    = 50
    memory = 128
  }
}

variable "versions" {
  description = "The one place for versions. elastic: Elasticsearch and Kibana image tags, the elasticsearch gem line of the Fluentd image and its tag. fluentd: the fluent/fluentd base image tag. fluent_plugin_elasticsearch: the plugin gem. elasticsearch_gem: the gem requirement (\"\" = \"~> MAJOR.MINOR.0\" of elastic)."
  type = object({
    elastic                     = optional(string, "8.19.26")
    fluentd                     = optional(string, "v1.19.3-debian-2.2")
    fluent_plugin_elasticsearch = optional(string, "5.4.4")
    elasticsearch_gem           = optional(string, "")
  })
  default = {}
}

variable "elasticsearch" {
  description = "The single-node Elasticsearch group. image \"\" = docker.elastic.co/elasticsearch/elasticsearch:<versions.elastic>. heap_mb sets -Xms/-Xmx and must be at most half of resources.memory. volume holds the data directory."
  type = object({
    enabled      = optional(bool, true)
    image        = optional(string, "")
    service_name = optional(string, "elasticsearch")
    port         = optional(number, 9200)
    cluster_name = optional(string, "efk")
    heap_mb      = optional(number, 1024)
    resources = optional(object({
      cpu    = number
      memory = number
    }), { cpu = 500, memory = 2048 })
    volume = optional(object({
      enabled         = bool
      type            = string
      source          = string
      mount_path      = string
      read_only       = optional(bool, false)
      access_mode     = optional(string, "single-node-writer")
      attachment_mode = optional(string, "file-system")
      }), {
      enabled    = true
      type       = "host"
      source     = "elasticsearch-vol"
      mount_path = "/usr/share/elasticsearch/data"
    })
  })
  default = {}
}

variable "elasticsearch_url" {
  description = "Address of an existing Elasticsearch (\"http(s)://host:port\") for Fluentd and Kibana; only and then required when elasticsearch.enabled = false."
  type        = string
  default     = ""
}

variable "fluentd" {
  description = "The Fluentd group. image \"\" = efk-fluentd:<versions.fluentd>-es<versions.elastic> (build it with make image-fluentd). port is the forward input; static_port 0 = a dynamic host port. Records whose tag matches match_pattern go to Elasticsearch in indices <index_prefix>-<tag>-YYYY.MM.DD. volume (optional) keeps the buffer on disk."
  type = object({
    enabled        = optional(bool, true)
    count          = optional(number, 1)
    image          = optional(string, "")
    service_name   = optional(string, "fluentd")
    port           = optional(number, 24224)
    static_port    = optional(number, 0)
    match_pattern  = optional(string, "*-group")
    index_prefix   = optional(string, "log")
    flush_interval = optional(string, "10s")
    stdout_copy    = optional(bool, false)
    resources = optional(object({
      cpu    = number
      memory = number
    }), { cpu = 200, memory = 256 })
    volume = optional(object({
      enabled         = bool
      type            = string
      source          = string
      mount_path      = string
      read_only       = optional(bool, false)
      access_mode     = optional(string, "single-node-writer")
      attachment_mode = optional(string, "file-system")
      }), {
      enabled    = false
      type       = "host"
      source     = "fluentd-vol"
      mount_path = "/fluentd/buffer"
    })
  })
  default = {}
}

variable "kibana" {
  description = "The Kibana group. image \"\" = docker.elastic.co/kibana/kibana:<versions.elastic>. static_port (without Connect) 0 = a dynamic host port. data_view: a poststart task creates the <fluentd.index_prefix>-* data view (idempotent) with setup_image."
  type = object({
    enabled      = optional(bool, true)
    count        = optional(number, 1)
    image        = optional(string, "")
    service_name = optional(string, "kibana")
    port         = optional(number, 5601)
    static_port  = optional(number, 0)
    data_view    = optional(bool, true)
    setup_image  = optional(string, "curlimages/curl:8.22.0")
    resources = optional(object({
      cpu    = number
      memory = number
    }), { cpu = 500, memory = 1024 })
    volume = optional(object({
      enabled         = bool
      type            = string
      source          = string
      mount_path      = string
      read_only       = optional(bool, false)
      access_mode     = optional(string, "single-node-writer")
      attachment_mode = optional(string, "file-system")
      }), {
      enabled    = false
      type       = "host"
      source     = "kibana-vol"
      mount_path = "/usr/share/kibana/data"
    })
  })
  default = {}
}

variable "ingress" {
  description = "A Consul ingress gateway publishing Kibana (service <kibana.service_name>-ingress) on this static port; needs the consul provider with Connect."
  type = object({
    enabled = bool
    port    = number
  })
  default = {
    enabled = false
    port    = 5601
  }
}

variable "security" {
  description = "Elasticsearch security (authentication). When enabled, passwords are read from the Nomad Variable at nomad_var_path (\"\" = nomad/jobs/<job_name>), keys elastic_password, kibana_system_password and fluentd_password; nothing has a default."
  type = object({
    enabled        = optional(bool, false)
    nomad_var_path = optional(string, "")
  })
  default = {}
}
