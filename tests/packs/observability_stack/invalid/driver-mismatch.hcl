# expect: disagree on driver, a shared choice (alertmanager.driver = "docker", krakend.driver = "docker", node_exporter.driver = "docker", prometheus.driver = "docker", prototype_service.driver = "raw_exec")
# raw_exec leaves the service outside the mesh while the gateway (docker) calls it through Connect.
prototype_service.driver      = "raw_exec"
prototype_service.binary_path = "/opt/prototype-service/bin/prototype-service"
