model "m" {
  folder = "checkpoints"
  file   = "m.safetensors"
  source = "https://example.com/m.safetensors" # WARNING: Model download without checksum
}
