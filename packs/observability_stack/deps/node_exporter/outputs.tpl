[[ template "node_exporter.validate" . -]]
node_exporter is deployed as system job [[ var "job_name" . | quote ]] (driver [[ var "driver" . ]]) on every client of node pool [[ var "node_pool" . | quote ]], registered in [[ var "service_provider" . ]] as service [[ var "service_name" . | quote ]]; the prometheus pack scrapes it (scrape_services).
Find the instances with: nomad service info [[ var "service_name" . ]]
Then: curl http://<address>/metrics
