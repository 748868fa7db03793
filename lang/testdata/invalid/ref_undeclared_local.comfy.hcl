output "o" {
  value = local.nothing # ERROR: Reference to undeclared local value
}
