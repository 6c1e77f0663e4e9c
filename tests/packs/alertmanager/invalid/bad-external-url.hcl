# expect: external_url must be an http(s) URL (got "alerts.example.org")
external_url = "alerts.example.org"
