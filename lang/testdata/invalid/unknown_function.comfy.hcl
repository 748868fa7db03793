locals {
  a = uppper("x") # ERROR: Call to unknown function # WARNING: Unused local value
}
