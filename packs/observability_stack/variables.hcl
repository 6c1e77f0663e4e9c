# The stack's components are its dependencies, each with its own variables, set as
# <component>.<variable> (for example `--var prometheus.count=2`, or `prometheus.count = 2` in a
# var file). nomad-pack 0.4.2 gives a dependency only its own variables, so a choice the
# components share is set once per component (see README.md, "Shared choices"); the stack refuses
# to render when they disagree.

variable "shared_variables" {
  description = "Variables that every enabled component declaring them must set to the same value; rendering fails naming each component's value otherwise."
  type        = list(string)
  default     = ["service_provider", "connect", "driver", "datacenters", "region", "namespace"]
}
