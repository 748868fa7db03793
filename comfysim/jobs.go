package comfysim

import (
	"sync"
	"time"
)

// jobs tracks each accepted prompt's lifecycle for Cloud's job status
// endpoints (/api/job/{id}/status, /api/jobs, /api/jobs/{id}).
type jobInfo struct {
	item             *queueItem
	created, updated time.Time
	state            string // pending | running | success | error | cancelled
	run              *run
}

type jobRegistry struct {
	mu    sync.Mutex
	order []string
	m     map[string]*jobInfo
}

func newJobRegistry() *jobRegistry { return &jobRegistry{m: map[string]*jobInfo{}} }

func (j *jobRegistry) add(it *queueItem) {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := time.Now()
	if _, ok := j.m[it.id]; !ok {
		j.order = append(j.order, it.id)
	}
	j.m[it.id] = &jobInfo{item: it, created: now, updated: now, state: "pending"}
}

func (j *jobRegistry) set(id, state string, r *run) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if ji, ok := j.m[id]; ok {
		ji.state, ji.updated = state, time.Now()
		if r != nil {
			ji.run = r
		}
	}
}

func (j *jobRegistry) start(id string) { j.set(id, "running", nil) }

func (j *jobRegistry) finish(id string, r *run) {
	state := "error"
	switch {
	case r.success:
		state = "success"
	case r.wasInterrupted:
		state = "cancelled"
	}
	j.set(id, state, r)
}

func (j *jobRegistry) cancel(ids []string) {
	for _, id := range ids {
		j.set(id, "cancelled", nil)
	}
}

func (j *jobRegistry) get(id string) (jobInfo, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	ji, ok := j.m[id]
	if !ok {
		return jobInfo{}, false
	}
	return *ji, true
}

func (j *jobRegistry) list() []jobInfo {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]jobInfo, 0, len(j.order))
	for _, id := range j.order {
		out = append(out, *j.m[id])
	}
	return out
}

// rawState is Cloud's internal state string for /api/job/{id}/status.
func (ji jobInfo) rawState() string {
	switch ji.state {
	case "pending":
		return "queued_waiting"
	case "running":
		return "executing"
	}
	return ji.state // success | error | cancelled
}

// publicStatus is the Jobs API status.
func (ji jobInfo) publicStatus() string {
	switch ji.state {
	case "pending":
		return "pending"
	case "running":
		return "in_progress"
	case "success":
		return "completed"
	case "cancelled":
		return "cancelled"
	}
	return "failed"
}
