package pool

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// job is one render the pool placed. Its id (what the core records as the prompt id)
// never changes, even when the render moves to another member: the core sees one render,
// whatever happened underneath.
type job struct {
	id       string
	instance string
	graph    []byte // nil for a job adopted from a previous run: it cannot move
	needs    []need

	mu          sync.Mutex
	m           *member
	promptID    string
	resubmitted bool
	finished    bool
	note        string // what happened to it, for the user (a failover)
}

func (j *job) current() (*member, string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.m, j.promptID
}

// finish counts the job as ended on its member, once.
func (j *job) finish() {
	j.mu.Lock()
	m, first := j.m, !j.finished
	j.finished = true
	j.mu.Unlock()
	if first {
		m.done()
	}
}

type jobTable struct {
	mu   sync.Mutex
	jobs map[string]*job
}

func newJobTable() *jobTable { return &jobTable{jobs: map[string]*job{}} }

// jobID is "m<member index>:<member prompt id>" of the first placement, so a later
// command (resuming an interrupted apply) still knows where the render went.
func jobID(m *member, promptID string) string { return fmt.Sprintf("m%d:%s", m.index, promptID) }

func (t *jobTable) add(j *job) {
	t.mu.Lock()
	t.jobs[j.id] = j
	t.mu.Unlock()
}

// get returns the job with id, adopting one a previous run placed when the id names a
// configured member.
func (t *jobTable) get(id string, members []*member) (*job, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if j, ok := t.jobs[id]; ok {
		return j, nil
	}
	idx, promptID, ok := strings.Cut(id, ":")
	n, err := strconv.Atoi(strings.TrimPrefix(idx, "m"))
	if !ok || err != nil || !strings.HasPrefix(idx, "m") || n < 0 || n >= len(members) || promptID == "" {
		return nil, fmt.Errorf("%q is not a prompt id this pool gave out (they look like m0:<prompt id>); was the pool's member list changed since it was submitted?", id)
	}
	j := &job{id: id, m: members[n], promptID: promptID}
	members[n].addInflight(1)
	t.jobs[id] = j
	return j, nil
}
