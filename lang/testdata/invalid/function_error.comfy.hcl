locals {
  a = file("does-not-exist.txt") # ERROR: Error in function call # WARNING: Unused local value
}
