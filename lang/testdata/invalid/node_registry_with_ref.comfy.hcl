node "n" {
  registry = "pack"
  version  = "1.0.0"
  ref      = "main" # ERROR: Unsupported argument
}
