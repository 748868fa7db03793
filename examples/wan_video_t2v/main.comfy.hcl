# Wan 2.1 text-to-video (1.3B, fp16): 33 frames at 832x480, saved as an animated WEBP.

variable "server_url" {
  type    = string
  default = "http://127.0.0.1:8188"
}

provider "local" {
  url = var.server_url
}

model "wan21_t2v" {
  folder = "diffusion_models"
  file   = "wan2.1_t2v_1.3B_fp16.safetensors"
  source = "https://huggingface.co/Comfy-Org/Wan_2.1_ComfyUI_repackaged/resolve/main/split_files/diffusion_models/wan2.1_t2v_1.3B_fp16.safetensors"
}

model "umt5" {
  folder = "text_encoders"
  file   = "umt5_xxl_fp8_e4m3fn_scaled.safetensors"
  source = "https://huggingface.co/Comfy-Org/Wan_2.1_ComfyUI_repackaged/resolve/main/split_files/text_encoders/umt5_xxl_fp8_e4m3fn_scaled.safetensors"
}

model "wan21_vae" {
  folder = "vae"
  file   = "wan_2.1_vae.safetensors"
  source = "https://huggingface.co/Comfy-Org/Wan_2.1_ComfyUI_repackaged/resolve/main/split_files/vae/wan_2.1_vae.safetensors"
}

render "paper_boat" {
  workflow = "workflows/wan_video_t2v.json"
  params = {
    prompt          = "a paper boat sailing down a rainy street gutter, cinematic"
    negative_prompt = "blurry, static, low quality, watermark"
    unet_name       = model.wan21_t2v.file
    clip_name       = model.umt5.file
    vae_name        = model.wan21_vae.file
    length          = 33
    seed            = 42
  }
  output_dir = "out/paper_boat"
  requires { vram_gb = 8 }
}
