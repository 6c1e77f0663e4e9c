# expect: krakend.backend.service is "prototype" but prototype_service.service_name is "echo", so the gateway would call a service that does not exist
prototype_service.service_name = "echo"
