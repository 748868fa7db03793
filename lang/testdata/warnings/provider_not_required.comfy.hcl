provider "pool" { # WARNING: Provider missing from required_providers
  url = "https://pool.example.com"
}
