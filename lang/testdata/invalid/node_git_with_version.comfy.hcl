node "n" {
  git     = "https://github.com/a/b"
  version = "1.0.0" # ERROR: Unsupported argument
}
