# expect: no such file or directory
# (nomad-pack shows only the end of fileRelative's error, not the file name: dashboards = ["no-such-dashboard.json"])
dashboards = ["no-such-dashboard.json"]
