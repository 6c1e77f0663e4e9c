# expect: versions.elastic must be a release number like 8.19.2 (got "8.x")
versions = {
  elastic = "8.x"
}
