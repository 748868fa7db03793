output "o" { value = render.hero.files } # ERROR: Reference to undeclared render
