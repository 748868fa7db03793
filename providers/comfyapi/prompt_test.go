package comfyapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestSubmitReportsEveryNodeError(t *testing.T) {
	var cases map[string]struct {
		Status   int             `json:"status"`
		Response json.RawMessage `json:"response"`
	}
	if err := json.Unmarshal(readFixture(t, "prompt_invalid_responses.json"), &cases); err != nil {
		t.Fatal(err)
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFakeComfy(t, "", "")
			f.routes["/prompt"] = func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.Status)
				w.Write(tc.Response)
			}
			_, err := f.client(t).Submit(testCtx(t), invertGraph(t), nil)
			if tc.Status != 400 {
				var he *HTTPError
				if !errors.As(err, &he) || he.Status != tc.Status {
					t.Fatalf("err %v, want HTTP %d", err, tc.Status)
				}
				return
			}
			var pe *PromptError
			if !errors.As(err, &pe) {
				t.Fatalf("err %T %v, want *PromptError", err, err)
			}
			var want struct {
				Error      ValidationError      `json:"error"`
				NodeErrors map[string]NodeError `json:"node_errors"`
			}
			json.Unmarshal(tc.Response, &want)
			if pe.Type != want.Error.Type || len(pe.NodeErrors) != len(want.NodeErrors) {
				t.Fatalf("parsed %+v, want %+v", pe, want)
			}
			msg := pe.Error()
			for id, ne := range want.NodeErrors {
				for _, ve := range ne.Errors {
					if !strings.Contains(msg, fmt.Sprintf("node %s (%s): %s", id, ne.ClassType, ve.Message)) {
						t.Errorf("message %q lacks node %s error %q", msg, id, ve.Message)
					}
				}
			}
		})
	}
}

func TestSubmitRejectsNonObjectGraph(t *testing.T) {
	f := newFakeComfy(t, "", "")
	if _, err := f.client(t).Submit(testCtx(t), json.RawMessage(`[1,2]`), nil); err == nil {
		t.Fatal("accepted a non-object graph")
	}
}

func TestSubmitCarriesPartnerKeySeparately(t *testing.T) {
	f := newFakeComfy(t, "ws_run_success_invert.jsonl", "")
	c := f.client(t, func(cfg *Config) { cfg.PartnerKey = "partner-secret" })
	if _, err := c.Submit(testCtx(t), invertGraph(t), map[string]any{"extra_pnginfo": map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	extra := f.prompts[0]["extra_data"].(map[string]any)
	if extra["api_key_comfy_org"] != "partner-secret" || extra["extra_pnginfo"] == nil {
		t.Fatalf("extra_data %v", extra)
	}
}

func TestSubmitRetriesOnlyUnprocessedStatuses(t *testing.T) {
	for status, wantCalls := range map[int]int32{503: 3, 502: 3, 500: 1, 504: 1} {
		f := newFakeComfy(t, "", "")
		var calls atomic.Int32
		f.routes["/prompt"] = func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) < 3 {
				w.WriteHeader(status)
				return
			}
			w.Write([]byte(`{"prompt_id": "p", "number": 1, "node_errors": {}}`))
		}
		f.client(t).Submit(testCtx(t), invertGraph(t), nil)
		if calls.Load() != wantCalls {
			t.Errorf("HTTP %d: %d calls, want %d", status, calls.Load(), wantCalls)
		}
	}
}
