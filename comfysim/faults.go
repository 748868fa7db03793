package comfysim

import (
	"fmt"
	"strings"
	"time"
)

// ParseFault applies one CLI "-fault" value to f. Accepted forms:
//
//	fail-class=ImageInvert     node class that raises execution_error
//	fail-type=torch.OutOfMemoryError
//	fail-message=text
//	step-delay=10ms            per sampler step
//	history-lag=50ms           delay of the history write after execution_success
func ParseFault(spec string, f *Faults) error {
	key, val, ok := strings.Cut(strings.TrimSpace(spec), "=")
	if !ok {
		return fmt.Errorf("fault %q: want key=value", spec)
	}
	key = strings.ToLower(strings.TrimSpace(key))
	val = strings.TrimSpace(val)
	dur := func() (time.Duration, error) {
		d, err := time.ParseDuration(val)
		if err != nil || d < 0 {
			return 0, fmt.Errorf("fault %q: %q is not a duration like 10ms", spec, val)
		}
		return d, nil
	}
	var err error
	switch key {
	case "fail-class":
		f.FailClass = val
	case "fail-type":
		f.FailType = val
	case "fail-message":
		f.FailMessage = val
	case "step-delay":
		f.StepDelay, err = dur()
	case "history-lag":
		f.HistoryLag, err = dur()
	default:
		return fmt.Errorf("fault %q: unknown knob %q (known: fail-class, fail-type, fail-message, step-delay, history-lag)", spec, key)
	}
	return err
}
