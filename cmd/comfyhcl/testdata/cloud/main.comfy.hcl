# A render on Comfy Cloud (the e2e test points url at the cloud simulator). The API key
# comes from COMFY_CLOUD_API_KEY in the environment.
variable "url" { type = string }

provider "cloud" {
  url         = var.url
  concurrency = 1
}

model "detail" {
  provider = cloud
  folder   = "loras"
  file     = "detail.safetensors"
  source   = "https://huggingface.co/acme/detail/resolve/main/detail.safetensors"
}

render "hero" {
  provider = cloud
  workflow = "workflow.json"
  params = {
    ckpt_name = "sim_base.safetensors"
    lora_name = model.detail.file
    prompt    = "a lighthouse at dusk"
    seed      = 7
  }
  output_dir = "out/hero"
}
