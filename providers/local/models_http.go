package local

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// parseContentRange reads "bytes START-END/TOTAL" or "bytes */TOTAL"; total is -1 when
// the source says "*".
func parseContentRange(v string) (start, total int64, ok bool) {
	v, ok = strings.CutPrefix(v, "bytes ")
	if !ok {
		return 0, 0, false
	}
	rng, tot, ok := strings.Cut(v, "/")
	if !ok {
		return 0, 0, false
	}
	total = -1
	if tot != "*" {
		if total, ok = parseInt(tot); !ok {
			return 0, 0, false
		}
	}
	if rng == "*" {
		return -1, total, true
	}
	s, _, ok := strings.Cut(rng, "-")
	if !ok {
		return 0, 0, false
	}
	start, ok = parseInt(s)
	return start, total, ok
}

func parseInt(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0
}

// sleepJitter waits base*2^attempt (capped at 30s), half of it random, so many
// downloads retrying after one hiccup do not arrive in lockstep.
func sleepJitter(ctx context.Context, base time.Duration, attempt int) error {
	d := min(base<<min(attempt-1, 10), 30*time.Second)
	t := time.NewTimer(d/2 + rand.N(d/2+1))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func causeOf(ctx context.Context, err error) error {
	if c := context.Cause(ctx); c != nil && !errors.Is(c, context.Canceled) {
		return c
	}
	return err
}

func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// redactedURL drops credentials and the query (signed URLs carry tokens there).
func redactedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid URL)"
	}
	u.User = nil
	if u.RawQuery != "" {
		u.RawQuery = "…"
	}
	u.Fragment = ""
	return u.String()
}
