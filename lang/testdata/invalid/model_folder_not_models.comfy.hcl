model "m" {
  folder = "custom_nodes" # ERROR: Invalid model folder
  file   = "m.safetensors"
}
