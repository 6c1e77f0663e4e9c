[[- /* Elasticsearch health check script template of the efk pack (security on, consul provider),
  rendered through the "efk.es_health_sh" helper into the job's template block. Context: the dict filled by "efk.init". */ -]]
#!/bin/sh
# Script check of Elasticsearch with security on: healthy when the cluster is at least yellow,
# asked as the elastic user. curl reads the credentials from stdin (-K -), escaped for its syntax.
printf 'user = "elastic:%s"\n' "$(sed 's/[\\"]/\\&/g' "$NOMAD_SECRETS_DIR/elastic_password")" |
  curl -fsS -o /dev/null -K - "http://127.0.0.1:[[ .es.port ]]/_cluster/health?wait_for_status=yellow&timeout=1s"
