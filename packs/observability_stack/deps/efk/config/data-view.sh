[[- /* Kibana data view script template of the efk pack, rendered through the "efk.data_view_sh" helper into the
  job's template block. [[ ]] is nomad-pack, {{ }} is left for Nomad at deploy time. Context: the dict filled by "efk.init". */ -]]
[[- $id := printf "%s-star" .fl.index_prefix -]]
#!/bin/sh
# Creates the Kibana data view "[[ .fl.index_prefix ]]-*" (saved object [[ $id ]]) and makes it the default,
# once Kibana answers (waits at most 5 minutes). An existing data view is left as it is.
# curl reads the credentials from stdin (-K -), so the password never shows in a process list;
# quotes and backslashes in it are escaped for curl's config syntax.
auth() {
  if [ -r "$NOMAD_SECRETS_DIR/elastic_password" ]; then
    printf 'user = "elastic:%s"\n' "$(sed 's/[\\"]/\\&/g' "$NOMAD_SECRETS_DIR/elastic_password")"
  fi
}
kb() { auth | curl -sS -K - -H 'kbn-xsrf: efk' -H 'Content-Type: application/json' "$@"; }
i=0
until [ "$(kb -o /dev/null -w '%{http_code}' "$KIBANA_URL/api/status")" = 200 ]; do
  i=$((i + 1))
  if [ "$i" -ge 60 ]; then echo "data-view: Kibana at $KIBANA_URL not available after 5 minutes" >&2; exit 1; fi
  sleep 5
done
code=$(kb -o /dev/null -w '%{http_code}' "$KIBANA_URL/api/saved_objects/index-pattern/[[ $id ]]")
case "$code" in
  200)
    echo "data-view: [[ .fl.index_prefix ]]-* exists, nothing to do"
    ;;
  404)
    kb --fail-with-body -X POST "$KIBANA_URL/api/saved_objects/index-pattern/[[ $id ]]" \
      --data-binary '{"attributes":{"title":"[[ .fl.index_prefix ]]-*","timeFieldName":"@timestamp"}}' || exit 1
    kb --fail-with-body -X POST "$KIBANA_URL/api/kibana/settings" \
      --data-binary '{"changes":{"defaultIndex":"[[ $id ]]"}}' || exit 1
    echo "data-view: created [[ .fl.index_prefix ]]-* and made it the default"
    ;;
  *)
    echo "data-view: unexpected HTTP $code from $KIBANA_URL/api/saved_objects" >&2
    exit 1
    ;;
esac
