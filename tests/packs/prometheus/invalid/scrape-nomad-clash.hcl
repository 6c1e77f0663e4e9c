# expect: scrape_services[0].name "nomad" clashes with the scrape job of the Nomad agents
scrape_services = [{ name = "nomad" }]
