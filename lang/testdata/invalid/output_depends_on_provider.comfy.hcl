provider "local" {
}
output "o" {
  value      = 1
  depends_on = [local] # ERROR: Invalid depends_on reference
}
