locals {
  used   = "x"
  unused = "y" # WARNING: Unused local value
  self   = local.used
}

output "o" { value = local.self }
