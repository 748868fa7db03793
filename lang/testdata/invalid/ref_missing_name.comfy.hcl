output "o" { value = var } # ERROR: Invalid reference
