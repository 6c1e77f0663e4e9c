# expect: extra_args[0] sets "--web.listen-address=0.0.0.0:9100", which the pack sets itself
extra_args = ["--web.listen-address=0.0.0.0:9100"]
