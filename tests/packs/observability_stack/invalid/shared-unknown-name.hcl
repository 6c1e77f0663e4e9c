# expect: observability_stack.shared_variables names "drivers", which no enabled component of the stack declares
shared_variables = ["service_provider", "drivers"]
