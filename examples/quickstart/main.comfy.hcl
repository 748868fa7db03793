# The quickstart: one render of a text-to-image workflow against a local ComfyUI server
# (or `comfyhcl sim`). `make demo` runs it against the built-in simulator.

variable "server_url" {
  type    = string
  default = "http://127.0.0.1:8188"
}

variable "subject" {
  type    = string
  default = "a lighthouse at dusk"
}

provider "local" {
  url = var.server_url
}

render "hero" {
  workflow = "workflows/txt2img.json"
  params = {
    prompt          = "portrait of ${var.subject}, golden hour"
    negative_prompt = "blurry, low quality"
    seed            = 42
    steps           = 12
    "5.width"       = 640
  }
  output_dir = "out/hero"
}
