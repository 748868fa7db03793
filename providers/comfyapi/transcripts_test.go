package comfyapi

import "testing"

// Every captured run, replayed: the outcome comes out right with history
// available, and also from the socket alone when history never answers.
func TestEveryCapturedRun(t *testing.T) {
	cases := []struct {
		ws, history string
		status      string
		outputs     int
		errType     string
	}{
		{"ws_run_success_invert.jsonl", "history_success.json", StatusSuccess, 1, ""},
		{"ws_run_cached_invert.jsonl", "history_cached.json", StatusSuccess, 1, ""},
		{"ws_api_prefix_run.jsonl", "history_success.json", StatusSuccess, 1, ""},
		{"ws_run_fail_loadimage.jsonl", "history_failed.json", StatusError, 0, "PIL.UnidentifiedImageError"},
		{"ws_run_fail_alloc.jsonl", "history_failed_alloc.json", StatusError, 0, "RuntimeError"},
		{"ws_run_interrupted_and_queue_ops.jsonl", "history_interrupted.json", StatusInterrupted, 0, ""},
		{"ws_run_interrupted_global.jsonl", "history_interrupted.json", StatusInterrupted, 0, ""},
	}
	for _, tc := range cases {
		for _, withHistory := range []bool{true, false} {
			name := tc.ws
			if !withHistory {
				name += "/socket-only"
			}
			t.Run(name, func(t *testing.T) {
				hist := tc.history
				if !withHistory {
					hist = ""
				}
				f := newFakeComfy(t, tc.ws, hist)
				c := f.client(t)
				c.lagTries = 2
				out, _ := submitAndWait(t, f, c)
				if out.Status != tc.status || len(out.Outputs) != tc.outputs {
					t.Fatalf("outcome %+v", out)
				}
				if tc.errType != "" && (out.Error == nil || out.Error.ExceptionType != tc.errType) {
					t.Fatalf("error %+v, want %s", out.Error, tc.errType)
				}
			})
		}
	}
}
