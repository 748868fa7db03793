model "base" {
  folder = "checkpoint" # WARNING: Unknown model folder
  file   = "base.safetensors"
}

model "custom" {
  folder = "my_pack_models"
  file   = "x.safetensors"
}
