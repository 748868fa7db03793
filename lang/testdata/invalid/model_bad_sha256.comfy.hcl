model "m" {
  folder = "checkpoints"
  file   = "m.safetensors"
  source = "https://example.com/m.safetensors"
  sha256 = "abc123" # ERROR: Invalid sha256
}
