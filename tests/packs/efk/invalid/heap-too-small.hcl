# expect: elasticsearch.heap_mb must be at least 256 (got 128)
elasticsearch = {
  heap_mb = 128
}
