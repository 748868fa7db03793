model "a" {
  folder = "checkpoints"
  file   = "a.safetensors"
  file   = "b.safetensors" # ERROR: Attribute redefined
}
