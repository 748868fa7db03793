package lang

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// The fixture sets: each entry of testdata/<set>/ is a *.comfy.hcl file or a directory
// (for fixtures that need vars files). Expected diagnostics are marked inline on the line
// their range starts on: `# ERROR: <summary>` or `# WARNING: <summary>`, several per line
// allowed. The test fails on a marker without its diagnostic and on any diagnostic
// without a marker.
func TestFixturesValid(t *testing.T)    { runFixtureSet(t, "valid") }
func TestFixturesInvalid(t *testing.T)  { runFixtureSet(t, "invalid") }
func TestFixturesWarnings(t *testing.T) { runFixtureSet(t, "warnings") }

// fixtureSecret is the value every sensitive fixture uses; no diagnostic may contain it.
const fixtureSecret = "s3cr3t-do-not-print"

var markerRE = regexp.MustCompile(`#\s*(ERROR|WARNING):\s*([^#]*?)\s*(?:#|$)`)

type marker struct {
	file     string
	line     int
	severity string
	summary  string
}

func (m marker) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", m.file, m.line, m.severity, m.summary)
}

func runFixtureSet(t *testing.T, set string) {
	entries, err := os.ReadDir(filepath.Join("testdata", set))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		path := filepath.Join("testdata", set, e.Name())
		if !e.IsDir() && !strings.HasSuffix(e.Name(), ConfigSuffix) {
			continue
		}
		if m, _ := filepath.Glob(filepath.Join(path, "*"+ConfigSuffix)); e.IsDir() && len(m) == 0 {
			continue // a directory of files the fixtures use (workflows/, photos/)
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			var cfg *Config
			var diags hcl.Diagnostics
			if e.IsDir() {
				cfg, diags = LoadDir(path)
			} else {
				src, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				cfg, diags = LoadSources(filepath.Join("testdata", set), map[string][]byte{path: src})
			}
			diags = append(diags, cfg.Validate()...)
			checkMarkers(t, cfg, diags)
		})
	}
	if n == 0 {
		t.Fatalf("no fixtures in testdata/%s", set)
	}
}

func checkMarkers(t *testing.T, cfg *Config, diags hcl.Diagnostics) {
	t.Helper()
	want := map[marker]bool{}
	for name, f := range cfg.Files {
		for i, line := range strings.Split(string(f.Bytes), "\n") {
			idx := strings.Index(line, "#")
			for idx >= 0 && idx < len(line) {
				m := markerRE.FindStringSubmatchIndex(line[idx:])
				if m == nil {
					break
				}
				sev, sum := line[idx+m[2]:idx+m[3]], line[idx+m[4]:idx+m[5]]
				want[marker{name, i + 1, sev, sum}] = true
				idx += m[5]
			}
		}
	}
	got := map[marker]bool{}
	for _, d := range diags {
		if strings.Contains(d.Summary+d.Detail, fixtureSecret) {
			t.Errorf("diagnostic prints the secret: %s", d)
		}
		sev := "ERROR"
		if d.Severity == hcl.DiagWarning {
			sev = "WARNING"
		}
		if d.Subject == nil {
			t.Errorf("diagnostic without a source range: %s: %s", d.Summary, d.Detail)
			continue
		}
		got[marker{d.Subject.Filename, d.Subject.Start.Line, sev, d.Summary}] = true
		m := marker{d.Subject.Filename, d.Subject.Start.Line, sev, d.Summary}
		if !want[m] {
			t.Errorf("unexpected diagnostic %s\n\t%s", m, d.Detail)
		}
	}
	var missing []string
	for m := range want {
		if !got[m] {
			missing = append(missing, m.String())
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("expected diagnostic not reported: %s", m)
	}
}
