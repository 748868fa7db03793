variable "size" {
  type = object({
    width  = number
    height = optional(number, 1024)
    tags   = optional(list(string), [])
  })
  default = { width = 1024 }
}

variable "loras" {
  type     = map(number)
  default  = { detail = 0.5 }
  nullable = false
}

variable "maybe" {
  type    = string
  default = null
}

locals {
  area     = var.size.width * var.size.height
  names    = [for k, v in var.loras : upper(k) if v > 0]
  encoded  = jsonencode({ a = 1 })
  decoded  = yamldecode("a: [1, 2]")
  fallback = coalesce(var.maybe, "none")
  sum      = sum([1, 2, 3])
}

render "types" {
  workflow = {
    "1" = { class_type = "EmptyImage", inputs = { width = local.area, height = 8 } }
  }
  count       = 2
  seed_mode   = "random"
  flat_output = true
  timeout     = "30m"
  params      = { names = local.names }
}

output "area" { value = local.area }

output "derived" {
  value = [local.encoded, local.decoded, local.fallback, local.sum]
}
