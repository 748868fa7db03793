model "a" {
  folder = "checkpoints"
  file   = "a.safetensors"
  sha    = "abc" # ERROR: Unsupported argument
}
