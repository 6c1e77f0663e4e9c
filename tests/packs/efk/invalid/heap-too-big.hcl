# expect: elasticsearch.resources.memory must be at least twice elasticsearch.heap_mb
elasticsearch = {
  heap_mb = 1536
}
