# SDXL text-to-image at 1024x1024, sweeping the CFG scale.

variable "server_url" {
  type    = string
  default = "http://127.0.0.1:8188"
}

provider "local" {
  url = var.server_url
}

model "sdxl_base" {
  folder = "checkpoints"
  file   = "sd_xl_base_1.0.safetensors"
  source = "https://huggingface.co/stabilityai/stable-diffusion-xl-base-1.0/resolve/main/sd_xl_base_1.0.safetensors"
  sha256 = "31e35c80fc4829d14f90153f4c74cd59c90b779f6afe05a74cd6120b893f7e5b"
}

render "fox" {
  workflow = "workflows/sdxl_txt2img.json"
  params = {
    prompt          = "a red fox in fresh snow, morning light, 85mm photo"
    negative_prompt = "blurry, text, watermark"
    ckpt_name       = model.sdxl_base.file
    steps           = 30
    seed            = 7
  }
  sweep      = { cfg = [5, 7, 9] }
  output_dir = "out/fox"
  requires { vram_gb = 8 }
}
