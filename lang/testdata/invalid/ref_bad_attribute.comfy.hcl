model "m" {
  folder = "checkpoints"
  file   = "m.safetensors"
}
output "o" { value = model.m.fiel } # ERROR: Unsupported attribute
