package lang

import (
	"strings"
	"testing"
)

func TestParseFileReportsEverySyntaxError(t *testing.T) {
	src := `locals {
  text = <<EOT
} not the end {
EOT
  bad = = 1
}

locals {
  fine = <<-EOT
    }}}
    EOT
}

output "o" {
  value = [1 2]
}
`
	_, diags := parseFile([]byte(src), "f.hcl")
	var got []int
	for _, d := range diags {
		got = append(got, d.Subject.Start.Line)
	}
	if len(got) != 2 || got[0] != 5 || got[1] != 15 {
		t.Fatalf("want errors on lines 5 and 15, got %v: %s", got, diags)
	}
	one := src[:strings.Index(src, "output")]
	if _, diags := parseFile([]byte(one), "f.hcl"); len(diags) != 1 {
		t.Fatalf("a single error reported as %v", diags)
	}
}
