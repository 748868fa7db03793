model "a" {
  folder = "checkpoints"
  file   = "a.safetensors"
}
model "a" { # ERROR: Duplicate model
  folder = "loras"
  file   = "b.safetensors"
}
