# expect: scrape_services[0].scheme must be "http" or "https" (got "ftp")
scrape_services = [
  {
    name   = "prototype"
    scheme = "ftp"
  },
]
