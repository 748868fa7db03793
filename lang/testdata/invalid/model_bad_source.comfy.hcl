model "m" {
  folder = "checkpoints"
  file   = "m.safetensors"
  source = "ftp://example.com/m" # ERROR: Invalid source
  sha256 = "31e35c80fc4829d14f90153f4c74cd59c90b779f6afe05a74cd6120b893f7e5b"
}
