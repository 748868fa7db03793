variable "subject" {
  type    = string
  default = "a lighthouse at dusk"
}

model "sdxl_base" {
  folder = "checkpoints"
  file   = "sd_xl_base_1.0.safetensors"
}

render "hero" {
  workflow = "workflows/sdxl_txt2img.json"
  params = {
    prompt    = "portrait of ${var.subject}"
    ckpt_name = model.sdxl_base.file
  }
  count = 2
}

output "hero_files" { value = render.hero.files }
