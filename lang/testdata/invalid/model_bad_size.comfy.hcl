model "m" {
  folder = "checkpoints"
  file   = "m.safetensors"
  size   = 1.5 # ERROR: Invalid size
}
