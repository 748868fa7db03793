model "m" {
  folder = "checkpoints"
  file   = "m.safetensors"
}
variable "v" {
  default = "x"
  validation {
    condition     = var.v != model.m.file # ERROR: Invalid reference in variable validation
    error_message = "no"
  }
}
