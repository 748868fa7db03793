# Comfy Cloud quickstart: one text-to-image render on https://cloud.comfy.org.
# Set your API key first (create one at https://platform.comfy.org/profile/api-keys):
#   export COMFY_CLOUD_API_KEY=...
# `plan` checks the workflow against Cloud's node catalogue and model list and spends
# nothing; `apply` runs the render on your account.

variable "cloud_url" {
  type    = string
  default = "https://cloud.comfy.org"
}

variable "checkpoint" {
  type    = string
  default = "v1-5-pruned-emaonly-fp16.safetensors"
}

provider "cloud" {
  url         = var.cloud_url
  concurrency = 1 # your tier's limit: Standard 1, Creator 3, Pro 5
  # api_key defaults to $COMFY_CLOUD_API_KEY; partner_key is only for partner (API) nodes.
}

# Models Cloud lacks can be imported from Hugging Face or Civitai (nothing else):
#
# model "detail" {
#   provider = cloud
#   folder   = "loras"
#   file     = "detail.safetensors"
#   source   = "https://huggingface.co/ORG/REPO/resolve/main/detail.safetensors"
# }

render "hero" {
  provider = cloud
  workflow = "workflow.json"
  params = {
    ckpt_name       = var.checkpoint
    prompt          = "a lighthouse at dusk, golden hour, oil painting"
    negative_prompt = "blurry, low quality"
    seed            = 42
    steps           = 20
  }
  output_dir = "out/hero"
}
