package lang

// The attributes a reference may read from each kind of block, as the core fills them in
// Scope (model.<name>.<attr> and so on). validate reports any other attribute.
var (
	ModelAttributes  = []string{"file", "folder", "name", "path", "sha256", "size", "source"}
	NodeAttributes   = []string{"commit", "git", "name", "ref", "registry", "version"}
	RenderAttributes = []string{"files", "instances", "name", "output_dir"}
)

// ProviderAddrPrefix starts the graph address of a provider configuration:
// "provider.local", "provider.local.gpu2".
const ProviderAddrPrefix = "provider."

// blockAttributes is the list for a reference kind, nil for var and local.
func blockAttributes(kind string) []string {
	switch kind {
	case "model":
		return ModelAttributes
	case "node":
		return NodeAttributes
	case "render":
		return RenderAttributes
	}
	return nil
}

// kindNoun names a reference kind in messages.
func kindNoun(kind string) string {
	switch kind {
	case "var":
		return "input variable"
	case "local":
		return "local value"
	}
	return kind
}

// exists reports whether the configuration declares kind.name.
func (c *Config) exists(kind, name string) bool {
	var ok bool
	switch kind {
	case "var":
		_, ok = c.Variables[name]
	case "local":
		_, ok = c.Locals[name]
	case "model":
		_, ok = c.Models[name]
	case "node":
		_, ok = c.Nodes[name]
	case "render":
		_, ok = c.Renders[name]
	}
	return ok
}

func (c *Config) names(kind string) []string {
	switch kind {
	case "var":
		return sortedKeys(c.Variables)
	case "local":
		return sortedKeys(c.Locals)
	case "model":
		return sortedKeys(c.Models)
	case "node":
		return sortedKeys(c.Nodes)
	case "render":
		return sortedKeys(c.Renders)
	}
	return nil
}
