package plugins

import (
	"errors"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestTransportErrorsSayWhatWasHappeningAndWhatToDo(t *testing.T) {
	c := &grpcClient{name: "pool", block: `provider "pool"`, describeFailure: func(bool) string { return "Provider log: /tmp/p.log" }}
	cases := []struct {
		op   string
		err  error
		want []string
	}{
		{"Submit", status.Error(codes.Unavailable, "EOF"), []string{`Provider "pool" failed during Submit`, "submitting a render", `provider "pool"`, "probably crashed", "/tmp/p.log"}},
		{"Upload", status.Error(codes.Unimplemented, "unknown method"), []string{"uploading a file", "upgrade the provider"}},
		{"Watch", status.Error(codes.Canceled, "context canceled"), []string{"watching a render", "cancelled"}},
		{"Custom", errors.New("boom"), []string{"failed during Custom", "boom"}},
	}
	for _, c2 := range cases {
		d := c.transportError(c2.op, c2.err)
		if len(d) != 1 {
			t.Fatalf("%s: %v", c2.op, d)
		}
		text := d[0].Summary + "\n" + d[0].Detail
		for _, w := range c2.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: lacks %q:\n%s", c2.op, w, text)
			}
		}
	}
	if c.transportError("Submit", nil) != nil {
		t.Error("nil error gave a diagnostic")
	}
}

func TestProtocolMismatchNamesBothVersionsAndTheWayOut(t *testing.T) {
	newer := ProtocolMismatch("pool", "2.0.0", ProtocolMajor+1)[0].Detail
	older := ProtocolMismatch("pool", "", ProtocolMajor-1)[0].Detail
	if !strings.Contains(newer, "2.0.0") || !strings.Contains(newer, "upgrade comfyhcl") {
		t.Errorf("newer provider: %s", newer)
	}
	if !strings.Contains(older, "Upgrade the provider") || !strings.Contains(older, "protocol 0") {
		t.Errorf("older provider: %s", older)
	}
}
