# SDXL image-to-image: a local photo is uploaded for the LoadImage node and repainted
# at denoise 0.6.

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

render "watercolor" {
  workflow = "workflows/sdxl_img2img.json"
  params = {
    prompt          = "the same scene as a watercolor painting"
    negative_prompt = "blurry, text, watermark"
    ckpt_name       = model.sdxl_base.file
    denoise         = 0.6
    seed            = 42
  }
  uploads    = { image = "photos/input.png" }
  output_dir = "out/watercolor"
}
