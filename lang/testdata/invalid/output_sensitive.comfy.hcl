variable "key" {
  type      = string
  sensitive = true
  default   = "s3cr3t-do-not-print"
}
output "o" {
  value = "key=${var.key}" # ERROR: Output refers to sensitive values
}
