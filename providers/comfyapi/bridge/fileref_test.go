package bridge

import (
	"testing"

	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

func TestParseOriginalRef(t *testing.T) {
	cases := map[string]comfyapi.FileRef{
		"photo.png":                            {Filename: "photo.png", Type: "input"},
		"sub/photo.png":                        {Filename: "photo.png", Subfolder: "sub", Type: "input"},
		"a/b/p (1).png [temp]":                 {Filename: "p (1).png", Subfolder: "a/b", Type: "temp"},
		`{"filename":"x.png","subfolder":"s"}`: {Filename: "x.png", Subfolder: "s", Type: "input"},
	}
	for in, want := range cases {
		got, err := ParseOriginalRef(in)
		if err != nil || got != want {
			t.Errorf("%q: %+v %v, want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "sub/", `{"subfolder":"x"}`} {
		if _, err := ParseOriginalRef(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
