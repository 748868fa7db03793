provider "pool" {
  endpoint = "https://pool.example.com"
}

locals {
  prefix = "portrait of"
}

model "lora" {
  folder   = "loras"
  file     = "detail.safetensors"
  provider = pool
}
