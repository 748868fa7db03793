provider "local" {
  url = "http://127.0.0.1:8188"
}
provider "local" { # ERROR: Duplicate provider configuration
  url = "http://127.0.0.1:8189"
}
