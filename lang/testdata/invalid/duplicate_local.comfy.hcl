locals {
  a = 1 # WARNING: Unused local value
}
locals {
  a = 2 # ERROR: Duplicate local value
}
