model "m" {
  folder  = "checkpoints"
  file    = "m.safetensors"
  headers = ["Authorization"] # ERROR: Incorrect value type
}
