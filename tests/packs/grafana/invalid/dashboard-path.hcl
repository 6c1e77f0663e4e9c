# expect: dashboards[0] must be a .json file name in the pack's dashboards/ folder (got "../../etc/passwd")
dashboards = ["../../etc/passwd"]
