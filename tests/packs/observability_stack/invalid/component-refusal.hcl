# expect: count must be a whole number >= 1 (got 0)
# A component's own validation still applies inside the stack.
prototype_service.count = 0
