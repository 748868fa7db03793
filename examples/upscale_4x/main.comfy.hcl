# 4x upscale of a local image with Real-ESRGAN: no sampling, no prompt.

variable "server_url" {
  type    = string
  default = "http://127.0.0.1:8188"
}

provider "local" {
  url = var.server_url
}

model "realesrgan_x4" {
  folder = "upscale_models"
  file   = "RealESRGAN_x4plus.safetensors"
  source = "https://huggingface.co/Comfy-Org/Real-ESRGAN_repackaged/resolve/main/RealESRGAN_x4plus.safetensors"
}

render "upscaled" {
  workflow = "workflows/upscale_4x.json"
  params = {
    model_name      = model.realesrgan_x4.file
    filename_prefix = "upscaled"
  }
  uploads    = { image = "photos/small.png" }
  output_dir = "out/upscaled"
}
