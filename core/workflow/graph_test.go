package workflow

import (
	"strings"
	"testing"
)

func TestIDOrder(t *testing.T) {
	g := Graph{}
	for _, id := range []string{"abc", "10:1", "2", "10", "1:2:3", "1", "10:a", "b", "1:10", "1:9"} {
		g[id] = &Node{}
	}
	want := "1 1:2:3 1:9 1:10 2 10 10:1 10:a abc b"
	if got := strings.Join(g.IDs(), " "); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
