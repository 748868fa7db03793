package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/comfyhcl/comfyhcl/core/workflow"
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/hcl/v2"
)

func init() {
	registerCommand(command{Name: "workflow", Synopsis: "inspect a workflow file: schema, convert (UI to API), import (to HCL)", Run: runWorkflow})
}

const workflowUsage = `Usage: comfyhcl workflow schema|convert|import FILE [flags]

  schema FILE [-json]      the friendly parameters of a workflow (prompt, seed, ckpt_name ...)
  convert FILE             the API-format graph of any workflow file (UI files converted)
  import FILE [-name N]    a render block with the graph inline and its params

The node catalogue (needed for UI-format files, and for types and ranges in schema) comes
from -object-info FILE (a saved /object_info), or -url URL / -provider (a live server);
without either, UI-format files use the configured or default local server.`

func runWorkflow(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || (args[0] != "schema" && args[0] != "convert" && args[0] != "import") {
		fmt.Fprintln(env.Stderr, workflowUsage)
		return exitError
	}
	sub := args[0]
	fs := flag.NewFlagSet("workflow "+sub, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var of opsFlags
	of.register(fs)
	objectInfo := fs.String("object-info", "", "read the node catalogue from this file (a saved GET /object_info)")
	name := fs.String("name", "", "import: the render block's name (default: from the file name)")
	if err := fs.Parse(interleave(args[1:], fs)); err != nil {
		return exitError
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.Stderr, workflowUsage)
		return exitError
	}
	file := fs.Arg(0)
	path := file
	if !filepath.IsAbs(path) {
		path = filepath.Join(env.Dir, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "comfyhcl workflow %s: cannot read %s: %v\n", sub, file, err)
		return exitError
	}
	files := map[string]*hcl.File{file: {Bytes: data}}
	cat, code := workflowCatalogue(ctx, env, &of, *objectInfo, file, data)
	if code != exitOK {
		return code
	}
	g, format, diags := workflow.Load(file, data, cat)
	if len(diags) > 0 {
		showDiagnostics(env.Stderr, diags, files, false)
	}
	if diags.HasErrors() {
		return exitError
	}
	switch sub {
	case "convert":
		var buf bytes.Buffer
		if err := json.Indent(&buf, g.CanonicalJSON(), "", "  "); err != nil {
			fmt.Fprintln(env.Stderr, "comfyhcl workflow convert:", err)
			return exitError
		}
		buf.WriteByte('\n')
		env.Stdout.Write(buf.Bytes())
		if format == workflow.FormatUI {
			fmt.Fprintf(env.Stderr, "Converted %s from UI format (%d nodes).\n", file, len(g))
		}
		return exitOK
	}
	schema, err := workflow.ExtractSchema(g, cat)
	if err != nil {
		fmt.Fprintf(env.Stderr, "comfyhcl workflow %s: %s: %v\n", sub, file, err)
		return exitError
	}
	if sub == "import" {
		n := *name
		if n == "" {
			n = workflow.RenderName(file)
		}
		env.Stdout.Write(workflow.ImportHCL(g, schema, n))
		return exitOK
	}
	if of.json {
		env.Stdout.Write(schema.JSON())
		return exitOK
	}
	fmt.Fprintf(env.Stdout, "%s (%s, %d nodes)\n\n", file, format, len(g))
	if err := schema.WriteTable(env.Stdout); err != nil {
		return exitError
	}
	return exitOK
}

// workflowCatalogue reads the node catalogue from -object-info, or from a server when
// -url/-provider is given or the file is UI format (which cannot convert without one).
func workflowCatalogue(ctx context.Context, env *Env, of *opsFlags, objectInfo, file string, data []byte) (*workflow.ObjectInfo, int) {
	if objectInfo != "" {
		p := objectInfo
		if !filepath.IsAbs(p) {
			p = filepath.Join(env.Dir, p)
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintf(env.Stderr, "comfyhcl workflow: cannot read -object-info %s: %v\n", objectInfo, err)
			return nil, exitError
		}
		cat, err := workflow.ParseObjectInfo(raw)
		if err != nil {
			fmt.Fprintf(env.Stderr, "comfyhcl workflow: %s: %v\n", objectInfo, err)
			return nil, exitError
		}
		return cat, exitOK
	}
	implicit := of.url == "" && of.provider == ""
	if implicit {
		if _, format, diags := workflow.Load(file, data, nil); format != workflow.FormatUI || !diags.HasErrors() {
			return nil, exitOK // API format: no catalogue needed
		}
	}
	conn, code := opsConnect(ctx, env, &of.serverFlags)
	if conn == nil {
		if implicit {
			fmt.Fprintf(env.Stderr, "%s is a UI-format workflow: converting it needs the node catalogue of a server. Start one, pass -url URL, or pass -object-info FILE (a saved GET /object_info).\n", file)
		}
		return nil, code
	}
	defer conn.close()
	inv, diags := conn.Inventory(ctx, plugins.InventoryRequest{ObjectInfo: true})
	if code, stop := opsReport(ctx, env, diags, conn); stop {
		return nil, code
	}
	cat, err := workflow.ParseObjectInfo(inv.ObjectInfoJSON)
	if err != nil {
		fmt.Fprintf(env.Stderr, "comfyhcl workflow: the server's /object_info: %v\n", err)
		return nil, exitError
	}
	return cat, exitOK
}
