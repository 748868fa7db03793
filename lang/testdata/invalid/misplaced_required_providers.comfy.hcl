required_providers { # ERROR: Misplaced required_providers block
}
