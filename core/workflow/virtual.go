package workflow

// Frontend-only node types, which never reach the server, and how conversion treats them.
const (
	virtualNote      = "note"      // dropped
	virtualReroute   = "reroute"   // links pass through its one input
	virtualPrimitive = "primitive" // its value is inlined into every target
	virtualGet       = "get"       // KJNodes GetNode: resolves to the SetNode of the same name
	virtualSet       = "set"       // KJNodes SetNode: passes its input through
)

// VirtualNodes maps frontend-only node types to their conversion behaviour.
var VirtualNodes = map[string]string{
	"Note":                           virtualNote,
	"MarkdownNote":                   virtualNote,
	"Label (rgthree)":                virtualNote,
	"Bookmark (rgthree)":             virtualNote,
	"Fast Groups Bypasser (rgthree)": virtualNote,
	"Fast Groups Muter (rgthree)":    virtualNote,
	"Fast Bypasser (rgthree)":        virtualNote,
	"Fast Muter (rgthree)":           virtualNote,
	"Reroute":                        virtualReroute,
	"Reroute (rgthree)":              virtualReroute,
	"PrimitiveNode":                  virtualPrimitive,
	"GetNode":                        virtualGet,
	"SetNode":                        virtualSet,
}

func virtualKind(class string) string { return VirtualNodes[class] }

// Widget values the frontend stores but never sends: the control_after_generate choice
// after seed-like INTs, and the upload button after LoadImage-like inputs.
var (
	controlValues = map[string]bool{"fixed": true, "increment": true, "decrement": true, "randomize": true}
	uploadValues  = map[string]bool{"image": true, "video": true, "audio": true, "file": true}
)
