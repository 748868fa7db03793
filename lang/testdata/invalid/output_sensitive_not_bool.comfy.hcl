output "o" {
  value     = 1
  sensitive = "no" # ERROR: Invalid sensitive
}
