output "o" { value = path.module } # ERROR: Invalid reference
