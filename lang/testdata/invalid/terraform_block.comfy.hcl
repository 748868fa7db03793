terraform { # ERROR: Unsupported block type
}
