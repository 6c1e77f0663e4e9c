# expect: fluentd.index_prefix must be a lowercase Elasticsearch index name part (got "Logs")
fluentd = {
  index_prefix = "Logs"
}
