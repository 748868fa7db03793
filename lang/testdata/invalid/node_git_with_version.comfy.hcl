node "n" {
  git     = "https://github.com/a/b" # WARNING: Unpinned node pack
  version = "1.0.0" # ERROR: Unsupported argument
}
