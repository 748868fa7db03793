package lang

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const graphConfig = `
variable "subject" { default = "x" }
variable "key" {
  default   = "k"
  sensitive = true
}
locals {
  prompt = "portrait of ${var.subject}"
}
provider "cloud" {
  api_key = var.key
}
provider "local" {
  alias = "gpu2"
}
model "base" {
  folder   = "checkpoints"
  file     = "base.safetensors"
  provider = local.gpu2
}
node "impact" {
  registry = "impact"
  version  = "1.0.0"
}
render "a" {
  workflow = "wf.json"
  params   = { prompt = local.prompt, ckpt = model.base.file }
  provider = cloud
}
render "b" {
  workflow   = "wf.json"
  params     = { image = render.a.files }
  depends_on = [node.impact, model.base]
}
output "files" { value = render.b.files }
`

func TestDependencyGraph(t *testing.T) {
	cfg, diags := loadString(t, graphConfig)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	g, diags := cfg.DependencyGraph()
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	edges := map[string][]string{}
	for from, es := range g.Edges {
		for _, e := range es {
			to := e.To
			if e.Explicit {
				to += " (depends_on)"
			}
			edges[from] = append(edges[from], to)
		}
	}
	want := map[string][]string{
		"local.prompt":   {"var.subject"},
		"provider.cloud": {"var.key"},
		"model.base":     {"provider.local.gpu2"},
		"render.a":       {"local.prompt", "model.base", "provider.cloud"},
		"render.b":       {"render.a", "node.impact (depends_on)", "model.base (depends_on)"},
		"output.files":   {"render.b"},
	}
	for from, w := range want {
		if diff := cmp.Diff(w, edges[from]); diff != "" {
			t.Errorf("edges of %s (-want +got):\n%s", from, diff)
		}
	}
	order := g.Order()
	pos := map[string]int{}
	for i, a := range order {
		pos[a] = i
	}
	for from, es := range g.Edges {
		for _, e := range es {
			if _, ok := pos[e.To]; ok && pos[e.To] > pos[from] {
				t.Errorf("%s ordered before its dependency %s: %v", from, e.To, order)
			}
		}
	}
	if len(order) != len(g.Nodes) {
		t.Errorf("order %v misses nodes of %v", order, g.Nodes)
	}
}

func TestDependencyCycleNamesTheCycle(t *testing.T) {
	cfg, _ := loadString(t, `
model "m" {
  folder = "checkpoints"
  file   = local.name
}
locals {
  name = render.r.output_dir
}
render "r" {
  workflow   = "wf.json"
  depends_on = [model.m]
}
locals {
  ok = 1
}
`)
	g, diags := cfg.DependencyGraph()
	if len(diags) != 1 || diags[0].Summary != "Dependency cycle" {
		t.Fatal(diags)
	}
	if !strings.Contains(diags[0].Detail, "local.name -> render.r -> model.m -> local.name") {
		t.Fatal(diags[0].Detail)
	}
	if order := g.Order(); len(order) != 1 || order[0] != "local.ok" {
		t.Fatalf("order should hold only the acyclic node: %v", order)
	}
}

func TestReferences(t *testing.T) {
	tests := []struct {
		expr string
		want []string // Kind.Name.Attr
		err  string
	}{
		{`var.a`, []string{"var.a."}, ""},
		{`"${local.b}-${var.c}"`, []string{"local.b.", "var.c."}, ""},
		{`model.m.file`, []string{"model.m.file"}, ""},
		{`model.m["file"]`, []string{"model.m."}, ""},
		{`render.r.files[0]`, []string{"render.r.files"}, ""},
		{`var.obj.deep.er`, []string{"var.obj."}, ""},
		{`[for x in var.l : x.name]`, []string{"var.l."}, ""},
		{`upper(node.n.version)`, []string{"node.n.version"}, ""},
		{`path.module`, nil, "is not something an expression can refer to"},
		{`self.x`, nil, "not something"},
		{`local`, nil, "needs a name"},
		{`var[0]`, nil, "needs a name"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			refs, diags := References(parseExpr(t, tt.expr))
			var got []string
			for _, r := range refs {
				got = append(got, r.Kind+"."+r.Name+"."+r.Attr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if tt.err == "" && diags.HasErrors() || tt.err != "" && (!diags.HasErrors() || !strings.Contains(diags[0].Detail, tt.err)) {
				t.Errorf("diags %v, want %q", diags, tt.err)
			}
		})
	}
}
