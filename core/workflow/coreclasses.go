package workflow

import (
	_ "embed"
	"strings"
)

//go:embed core_classes.txt
var coreClassList string

// coreClasses are the node classes ComfyUI itself ships (0.3.64), so a server missing
// one is told to update ComfyUI rather than to install a pack.
var coreClasses = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(coreClassList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// IsCoreClass reports whether class ships with ComfyUI itself.
func IsCoreClass(class string) bool { return coreClasses[class] }
