model "m" {
  folder = "/checkpoints" # ERROR: Invalid model folder
  file   = "m.safetensors"
}
