[[- /* Security setup script template of the efk pack, rendered through the "efk.security_setup_sh" helper into the
  job's template block. [[ ]] is nomad-pack, {{ }} is left for Nomad at deploy time. Context: the dict filled by "efk.init". */ -]]
#!/bin/sh
# Waits (at most 5 minutes) for Elasticsearch, then sets the built-in and pack users.
# curl reads the credentials from stdin (-K -), so the password never shows in a process list;
# quotes and backslashes in it are escaped for curl's config syntax.
auth() { printf 'user = "elastic:%s"\n' "$(sed 's/[\\"]/\\&/g' "$NOMAD_SECRETS_DIR/elastic_password")"; }
es() { auth | curl -sS -K - -H 'Content-Type: application/json' "$@"; }
i=0
until [ "$(es -o /dev/null -w '%{http_code}' "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=5s")" = 200 ]; do
  i=$((i + 1))
  if [ "$i" -ge 60 ]; then echo "security-setup: Elasticsearch at $ES_URL not healthy after 5 minutes" >&2; exit 1; fi
  sleep 5
done
es --fail-with-body -X PUT "$ES_URL/_security/user/kibana_system/_password" --data-binary "@$NOMAD_SECRETS_DIR/kibana_system.json" || exit 1
es --fail-with-body -X PUT "$ES_URL/_security/role/efk_log_writer" --data-binary '{"cluster":["monitor"],"indices":[{"names":["[[ .fl.index_prefix ]]-*"],"privileges":["create_index","create_doc","write","view_index_metadata"]}]}' || exit 1
es --fail-with-body -X PUT "$ES_URL/_security/user/fluentd" --data-binary "@$NOMAD_SECRETS_DIR/fluentd_user.json" || exit 1
echo "security-setup: kibana_system password, role efk_log_writer and user fluentd are set"
