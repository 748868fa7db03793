model "m" {
  folder = "checkpoints"
  file   = = "m.safetensors" # ERROR: Invalid expression
}

render "r" {
  workflow = "wf.json"
  count    = 2 + * 3 # ERROR: Invalid expression
}

output "o" {
  value = "fine"
}

output "p" {
  value = 1 + # ERROR: Invalid expression
}

locals {
  a = [1, 2 # WARNING: Unused local value
  b = 2 # ERROR: Missing item separator
}
