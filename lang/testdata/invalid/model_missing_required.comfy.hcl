model "a" { # ERROR: Missing required argument
  folder = "checkpoints"
}
