[[- /* The effective values this render used (variables after defaults, plus what the pack
  derived from them): what tests/packs/efk/check compares the rendered configs against, and the
  Fluentd image build arguments (tools/image.sh fluentd). */ -]]
[[- $c := dict "root" . "in_job" false ]][[ template "efk.init" $c ]]
[[- $out := dict "variables" (vars .) "derived" (dict "provider" $c.provider "connect" $c.connect "security" $c.security "var_path" $c.var_path "es_scheme" $c.es_scheme "es_host" $c.es_host "es_port" $c.es_port "es_url" $c.es_url "es_image" $c.es_image "kb_image" $c.kb_image "fl_image" $c.fl_image) "fluentd_image" (dict "tag" $c.fl_image "build_args" (dict "FLUENTD_BASE_TAG" $c.versions.fluentd "ELASTICSEARCH_GEM_VERSION" $c.gem "FLUENT_PLUGIN_ELASTICSEARCH_VERSION" $c.versions.fluent_plugin_elasticsearch "ELASTIC_VERSION" $c.versions.elastic)) ]]
[[ $out | toPrettyJson ]]
