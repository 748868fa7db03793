node "n" { # ERROR: Missing node pack source
  version = "1.0.0"
}
