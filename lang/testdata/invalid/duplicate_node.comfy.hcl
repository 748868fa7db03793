node "n" {
  registry = "pack"
  version  = "1.0.0"
}
node "n" { # ERROR: Duplicate node
  registry = "pack"
  version  = "1.0.1"
}
