package comfysim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// faultKnobs documents ParseFault's keys (and is its help text).
var faultKnobs = []string{
	"fail-class=CLASS", "fail-type=TYPE", "fail-message=TEXT", "oom-class=CLASS",
	"step-delay=DUR", "history-lag=DUR", "latency=DUR",
	"ws-drop=RATE", "ws-delay=DUR", "ws-cut-after=N",
	"view-5xx=RATE", "view-reset=RATE", "view-reset-after=BYTES", "slow-body=BYTES_PER_S",
	"cloud-status=401|402|429", "seed=N",
}

// ParseFault applies one CLI "-fault" value (key=value) to f, e.g.
//
//	fail-class=ImageInvert   node class that raises execution_error
//	oom-class=KSampler       node class that raises torch.OutOfMemoryError
//	step-delay=10ms          per sampler step ("none": no delay)
//	latency=50ms             before every HTTP answer
//	ws-drop=0.3              30 % of WebSocket messages lost
//	ws-cut-after=20          sockets closed after 20 messages
//	view-5xx=0.5, view-reset=0.5, view-reset-after=4096, slow-body=1048576
//	seed=7                   PRNG seed for the rates
func ParseFault(spec string, f *Faults) error {
	key, val, ok := strings.Cut(strings.TrimSpace(spec), "=")
	if !ok {
		return fmt.Errorf("fault %q: want key=value (known: %s)", spec, strings.Join(faultKnobs, ", "))
	}
	key = strings.ToLower(strings.TrimSpace(key))
	val = strings.TrimSpace(val)
	dur := func(dst *time.Duration) error {
		if val == "none" {
			*dst = -1 // no delay at all (0 means the default)
			return nil
		}
		d, err := time.ParseDuration(val)
		if err != nil || d < 0 {
			return fmt.Errorf("fault %q: %q is not a duration like 10ms", spec, val)
		}
		*dst = d
		return nil
	}
	rate := func(dst *float64) error {
		r, err := strconv.ParseFloat(strings.TrimSuffix(val, "%"), 64)
		if err == nil && strings.HasSuffix(val, "%") {
			r /= 100
		}
		if err != nil || r < 0 || r > 1 {
			return fmt.Errorf("fault %q: %q is not a rate between 0 and 1 (or 0%%-100%%)", spec, val)
		}
		*dst = r
		return nil
	}
	integer := func(dst *int64) error {
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("fault %q: %q is not a non-negative integer", spec, val)
		}
		*dst = n
		return nil
	}
	switch key {
	case "fail-class":
		f.FailClass = val
	case "fail-type":
		f.FailType = val
	case "fail-message":
		f.FailMessage = val
	case "oom-class", "oom":
		f.OOMClass = val
	case "step-delay":
		return dur(&f.StepDelay)
	case "history-lag":
		return dur(&f.HistoryLag)
	case "latency":
		return dur(&f.Latency)
	case "ws-drop":
		return rate(&f.WSDropRate)
	case "ws-delay":
		return dur(&f.WSDelay)
	case "ws-cut-after":
		var n int64
		if err := integer(&n); err != nil {
			return err
		}
		f.WSCutAfter = int(n)
	case "view-5xx":
		return rate(&f.ViewErrorRate)
	case "view-reset":
		return rate(&f.ViewResetRate)
	case "view-reset-after":
		return integer(&f.ViewResetAfter)
	case "slow-body":
		return integer(&f.SlowBodyBPS)
	case "cloud-status":
		var n int64
		if err := integer(&n); err != nil {
			return err
		}
		if n != 0 && n != 401 && n != 402 && n != 429 {
			return fmt.Errorf("fault %q: cloud-status is 401, 402 or 429", spec)
		}
		f.CloudStatus = int(n)
	case "seed":
		return integer(&f.Seed)
	default:
		return fmt.Errorf("fault %q: unknown knob %q (known: %s)", spec, key, strings.Join(faultKnobs, ", "))
	}
	return nil
}
