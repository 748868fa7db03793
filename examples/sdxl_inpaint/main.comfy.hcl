# SDXL inpainting: the image and its mask are both
# uploaded (LoadImageMask reads alpha: transparent pixels are repainted);
# VAEEncodeForInpaint grows the mask a little before sampling.

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

render "plant" {
  workflow = "workflows/sdxl_inpaint.json"
  params = {
    prompt          = "a potted monstera plant"
    negative_prompt = "blurry, text, watermark"
    ckpt_name       = model.sdxl_base.file
    grow_mask_by    = 8
    seed            = 42
  }
  uploads = {
    image = "photos/room.png"
    mask  = "photos/room_mask.png"
  }
  output_dir = "out/plant"
}
