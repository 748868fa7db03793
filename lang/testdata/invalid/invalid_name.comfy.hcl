model "1bad" { # ERROR: Invalid model name
  folder = "checkpoints"
  file   = "a.safetensors"
}
