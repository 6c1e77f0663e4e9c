# expect: elasticsearch_url is only used with elasticsearch.enabled = false
elasticsearch_url = "http://10.0.0.5:9200"
