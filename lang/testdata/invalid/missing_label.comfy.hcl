model { # ERROR: Missing name for model
  folder = "checkpoints"
  file   = "a.safetensors"
}
