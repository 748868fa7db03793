variable "api_key" {
  type      = string
  sensitive = true
  default   = "s3cr3t-do-not-print"
}

model "sdxl" {
  folder = "checkpoints"
  file   = "sdxl.safetensors"
  sha    = "abc"
}

render "hero" {
  workflow  = "wf.json"
  params    = { ckpt_name = model.sdxl.fiel }
  seed_mode = "randum"
  count     = 0
}

output "key" { value = "key=${var.api_key}" }
