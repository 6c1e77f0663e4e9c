# expect: alertmanagers.service_name must be a service name (letters, digits, _ . -) (got "alert manager")
alertmanagers = {
  service_name = "alert manager"
}
