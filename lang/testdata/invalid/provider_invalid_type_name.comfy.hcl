provider "my provider" { # ERROR: Invalid provider name
}
