comfyhcl {
  required_providers {
    pool = { source = "acme/pool" }
  }
}
model "a" {
  folder   = "checkpoints"
  file     = "a.safetensors"
  provider = pol # ERROR: Reference to undeclared provider
}
model "b" {
  folder   = "checkpoints"
  file     = "b.safetensors"
  provider = pool
}
model "c" {
  folder   = "checkpoints"
  file     = "c.safetensors"
  provider = cloud
}
