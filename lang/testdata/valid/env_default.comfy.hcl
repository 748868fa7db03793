variable "cloud_key" {
  type      = string
  sensitive = true
  default   = env("COMFYHCL_TEST_SURELY_UNSET_VARIABLE")
}

variable "workspace" {
  type    = string
  default = env("COMFYHCL_TEST_SURELY_UNSET_WORKSPACE", "~/comfy/ComfyUI")
}

provider "cloud" {
  api_key = var.cloud_key
}
