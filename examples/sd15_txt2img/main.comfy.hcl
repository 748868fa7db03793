# SD 1.5 text-to-image: four increments of one seed at 512x512.

variable "server_url" {
  type    = string
  default = "http://127.0.0.1:8188"
}

provider "local" {
  url = var.server_url
}

model "sd15" {
  folder = "checkpoints"
  file   = "v1-5-pruned-emaonly-fp16.safetensors"
  source = "https://huggingface.co/Comfy-Org/stable-diffusion-v1-5-archive/resolve/main/v1-5-pruned-emaonly-fp16.safetensors"
}

render "lighthouse" {
  workflow = "workflows/sd15_txt2img.json"
  params = {
    prompt          = "a lighthouse on a cliff at dusk, oil painting"
    negative_prompt = "blurry, low quality, watermark"
    ckpt_name       = model.sd15.file
    steps           = 20
    seed            = 42
  }
  count      = 4
  seed_mode  = "increment"
  output_dir = "out/lighthouse"
}
