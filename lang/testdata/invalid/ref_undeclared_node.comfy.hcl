output "o" { value = node.impact.version } # ERROR: Reference to undeclared node
