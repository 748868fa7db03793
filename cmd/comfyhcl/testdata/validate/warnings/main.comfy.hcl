model "lora" {
  folder = "loras"
  file   = "detail.safetensors"
  source = "https://example.com/detail.safetensors"
}

node "rgthree" {
  git = "https://github.com/rgthree/rgthree-comfy"
}
