# expect: extra_args[0] must be a whole flag starting with -- (got "collector.cpu")
extra_args = ["collector.cpu"]
