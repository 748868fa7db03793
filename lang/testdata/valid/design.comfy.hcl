comfyhcl {
  required_version = ">= 0.1.0"
  required_providers {
    local = { source = "builtin/local" }
    pool  = { source = "acme/pool", version = "~> 1.0" }
  }
}

variable "subject" {
  type    = string
  default = "a lighthouse at dusk"
  validation {
    condition     = length(var.subject) > 0
    error_message = "subject must not be empty."
  }
}

variable "cloud_key" {
  type      = string
  sensitive = true
  default   = env("COMFY_CLOUD_API_KEY")
}

provider "local" {
  url       = "http://127.0.0.1:8188"
  workspace = "~/comfy/ComfyUI"
}

provider "local" {
  alias = "gpu2"
  url   = "http://10.0.0.2:8188"
}

provider "cloud" {
  api_key     = var.cloud_key
  concurrency = 3
}

model "sdxl_base" {
  folder = "checkpoints"
  file   = "sd_xl_base_1.0.safetensors"
  source = "https://huggingface.co/stabilityai/stable-diffusion-xl-base-1.0/resolve/main/sd_xl_base_1.0.safetensors"
  sha256 = "31e35c80fc4829d14f90153f4c74cd59c90b779f6afe05a74cd6120b893f7e5b"
}

node "impact" {
  registry = "comfyui-impact-pack"
  version  = "8.8.1"
  provider = local.gpu2
}

locals {
  prefix = "portrait of ${var.subject}"
}

render "hero" {
  workflow = "workflows/sdxl_txt2img.json"
  params = {
    prompt          = local.prefix
    negative_prompt = "blurry"
    ckpt_name       = model.sdxl_base.file
    steps           = 30
    seed            = 42
    "3.cfg"         = 6.5
  }
  uploads    = { image = "photos/cat.png" }
  count      = 4
  seed_mode  = "increment"
  sweep      = { cfg = [5, 7, 9] }
  output_dir = "out/hero"
  requires { vram_gb = 12 }
  depends_on = [node.impact]
}

output "hero_files" { value = render.hero.files }
