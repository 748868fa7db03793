# FLUX.1 [dev] text-to-image with the split loaders (UNET, dual CLIP, VAE) and a
# random seed drawn at plan time and recorded, so re-planning changes nothing.

variable "server_url" {
  type    = string
  default = "http://127.0.0.1:8188"
}

provider "local" {
  url = var.server_url
}

model "flux_dev" {
  folder = "diffusion_models"
  file   = "flux1-dev.safetensors"
  source = "https://huggingface.co/Comfy-Org/flux1-dev/resolve/main/flux1-dev.safetensors"
}

model "t5xxl" {
  folder = "text_encoders"
  file   = "t5xxl_fp16.safetensors"
  source = "https://huggingface.co/comfyanonymous/flux_text_encoders/resolve/main/t5xxl_fp16.safetensors"
}

model "clip_l" {
  folder = "text_encoders"
  file   = "clip_l.safetensors"
  source = "https://huggingface.co/comfyanonymous/flux_text_encoders/resolve/main/clip_l.safetensors"
}

model "flux_vae" {
  folder = "vae"
  file   = "ae.safetensors"
  source = "https://huggingface.co/black-forest-labs/FLUX.1-schnell/resolve/main/ae.safetensors"
}

render "reading_nook" {
  workflow = "workflows/flux_dev_txt2img.json"
  params = {
    prompt     = "a cozy reading nook with a cat, warm light, film photo"
    unet_name  = model.flux_dev.file
    clip_name1 = model.t5xxl.file
    clip_name2 = model.clip_l.file
    vae_name   = model.flux_vae.file
    guidance   = 3.5
    steps      = 20
  }
  seed_mode  = "random"
  output_dir = "out/reading_nook"
  requires { vram_gb = 24 }
}
