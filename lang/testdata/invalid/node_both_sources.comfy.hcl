node "n" {
  registry = "pack"
  version  = "1.0.0"
  git      = "https://github.com/a/b" # ERROR: Conflicting node pack source
}
