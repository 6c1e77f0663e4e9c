# Docker without Connect on the nomad provider, a custom image and user, no scrape targets
# but itself and no rules at all: the rules file must still be valid (groups: []).
service_provider = "nomad"
image            = "prom/prometheus:v3.5.1"
user             = ""
scrape_services  = []
alert_rules      = []
