package cloud

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// unknownJobPolls is how many job status reads in a row must answer 404 before a
// watched job is declared unknown to Cloud.
const unknownJobPolls = 3

// guardWatch ends a Watch that could otherwise only wait for its timeout: the client's
// reconciliation treats every failed poll as "not finished yet", which is right for a
// flaky network but not for a key that stopped working (401/402/403) or a job Cloud
// does not know (404). It checks the job status every `every` and cancels ctx with
// the reason. The returned stop function ends the guard.
func guardWatch(ctx context.Context, cancel context.CancelCauseFunc, c *comfyapi.Client, promptID string, every time.Duration) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		missing := 0
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			_, err := c.JobStatus(ctx, promptID)
			var he *comfyapi.HTTPError
			switch {
			case err == nil:
				missing = 0
			case errors.As(err, &he) && (he.Status == 401 || he.Status == 402 || he.Status == 403):
				cancel(err)
				return
			case errors.As(err, &he) && he.Status == 404:
				if missing++; missing >= unknownJobPolls {
					cancel(fmt.Errorf("Comfy Cloud does not know job %s (GET /api/job/%s/status answered 404 %d times): check the id, or whether it was submitted with another account's key", promptID, promptID, missing))
					return
				}
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
