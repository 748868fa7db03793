# AnimateDiff (Evolved) on SD 1.5: 16 frames saved as an animated WEBP. Needs the
# AnimateDiff-Evolved node pack and its motion module.

variable "server_url" {
  type    = string
  default = "http://127.0.0.1:8188"
}

provider "local" {
  url = var.server_url
}

node "animatediff" {
  registry = "comfyui-animatediff-evolved"
  version  = "1.2.3"
}

model "sd15" {
  folder = "checkpoints"
  file   = "v1-5-pruned-emaonly-fp16.safetensors"
  source = "https://huggingface.co/Comfy-Org/stable-diffusion-v1-5-archive/resolve/main/v1-5-pruned-emaonly-fp16.safetensors"
}

model "motion_v2" {
  folder = "animatediff_models"
  file   = "mm_sd_v15_v2.ckpt"
  source = "https://huggingface.co/guoyww/animatediff/resolve/main/mm_sd_v15_v2.ckpt"
}

render "koi_pond" {
  workflow = "workflows/animatediff_video.json"
  params = {
    prompt          = "a koi pond with drifting lily pads, gentle ripples"
    negative_prompt = "blurry, low quality, watermark"
    ckpt_name       = model.sd15.file
    model_name      = model.motion_v2.file
    batch_size      = 16
    seed            = 42
  }
  output_dir = "out/koi_pond"
  depends_on = [node.animatediff]
  requires { vram_gb = 10 }
}
