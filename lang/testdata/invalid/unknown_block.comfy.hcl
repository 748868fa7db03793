modle "x" { # ERROR: Unsupported block type
  folder = "checkpoints"
}
