package launch_test

import (
	"testing"

	"github.com/comfyhcl/comfyhcl/providers/local/launch"
	"github.com/comfyhcl/comfyhcl/providers/local/launch/launchtest"
)

func TestServerURL(t *testing.T) {
	tests := []struct {
		listen string
		want   string
	}{
		{"", "http://127.0.0.1:8188"},
		{"0.0.0.0", "http://127.0.0.1:8188"},
		{"::", "http://127.0.0.1:8188"},
		{"192.168.1.5", "http://192.168.1.5:8188"},
		{"::1", "http://[::1]:8188"},
		{"0.0.0.0,::", "http://127.0.0.1:8188"},
	}
	for _, tc := range tests {
		if got := launch.ServerURL(tc.listen, 8188); got != tc.want {
			t.Errorf("ServerURL(%q) = %q, want %q", tc.listen, got, tc.want)
		}
	}
}

func TestFindCLI(t *testing.T) {
	tests := []struct {
		tools []string
		via   string
		ok    bool
	}{
		{nil, "", false},
		{[]string{launchtest.Uvx}, "uvx", true},
		{[]string{launchtest.Uvx, launchtest.Comfy}, "found", true},
	}
	for _, tc := range tests {
		f := sandbox(t)
		f.Write(t, tc.tools...)
		cli, ok := launch.FindCLI(f.Env())
		if ok != tc.ok || cli.Via != tc.via {
			t.Errorf("%v: FindCLI = %+v, %v", tc.tools, cli, ok)
		}
	}
}
