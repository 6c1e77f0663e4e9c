# expect: extra_rules[0] must set exactly one of alert or record
extra_rules = [
  {
    alert  = "A"
    record = "b:c"
    expr   = "up"
  },
]
