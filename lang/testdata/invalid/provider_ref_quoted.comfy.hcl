model "a" {
  folder   = "checkpoints"
  file     = "a.safetensors"
  provider = "local" # ERROR: Invalid provider reference
}
