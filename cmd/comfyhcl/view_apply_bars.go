package main

import (
	"fmt"
	"io"
	"sync"

	"github.com/comfyhcl/comfyhcl/core"
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// barView shows apply's progress as live bars on a terminal: bytes, rate and ETA for
// downloads; current node, sampler step and whole-workflow percent for renders. Lines
// that stay (finished renders, their files, errors) print above the bars. Counting and
// wording are applyView's; only the live part differs.
type barView struct {
	*applyView
	progress *mpb.Progress
	out      io.Writer // the terminal, once the bars are gone

	mu     sync.Mutex
	bars   map[string]*mpb.Bar
	status map[string]string
}

// renderScale turns the workflow fraction into bar units.
const renderScale = 1000

func newBarView(w io.Writer, color bool) *barView {
	p := mpb.New(mpb.WithOutput(w), mpb.WithWidth(32))
	return &barView{applyView: newApplyView(p, false, color), progress: p, out: w,
		bars: map[string]*mpb.Bar{}, status: map[string]string{}}
}

func (v *barView) bar(addr string, total int64, install bool) *mpb.Bar {
	v.mu.Lock()
	defer v.mu.Unlock()
	if b, ok := v.bars[addr]; ok {
		return b
	}
	right := []decor.Decorator{decor.Any(func(decor.Statistics) string { return v.statusOf(addr) }, decor.WCSyncSpaceR)}
	if install {
		right = []decor.Decorator{decor.CountersKibiByte("% .1f / % .1f"), decor.Name("  "),
			decor.AverageSpeed(decor.SizeB1024(0), "% .1f"), decor.Name("  ETA "), decor.AverageETA(decor.ET_STYLE_MMSS)}
	}
	b := v.progress.AddBar(total, mpb.BarRemoveOnComplete(),
		mpb.PrependDecorators(decor.Name(addr, decor.WCSyncSpaceR), decor.Percentage(decor.WCSyncSpace)),
		mpb.AppendDecorators(right...))
	v.bars[addr] = b
	return b
}

func (v *barView) statusOf(addr string) string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.status[addr]
}

func (v *barView) setStatus(addr, s string) {
	v.mu.Lock()
	v.status[addr] = s
	v.mu.Unlock()
}

func (v *barView) finish(addr string) {
	v.mu.Lock()
	b := v.bars[addr]
	delete(v.bars, addr)
	v.mu.Unlock()
	if b != nil {
		b.SetTotal(-1, true)
	}
}

func (v *barView) RenderSubmitted(addr, promptID string) {
	v.bar(addr, renderScale, false)
	v.setStatus(addr, "queued (prompt "+promptID[:min(8, len(promptID))]+")")
}

func (v *barView) RenderEvent(addr string, ev plugins.Event) {
	b := v.bar(addr, renderScale, false)
	if ev.WorkflowFraction > 0 {
		b.SetCurrent(int64(ev.WorkflowFraction * renderScale))
	}
	switch ev.Kind {
	case plugins.EventStarted:
		v.setStatus(addr, "started")
	case plugins.EventExecuting:
		v.setStatus(addr, "node "+ev.NodeID)
	case plugins.EventProgress:
		v.setStatus(addr, fmt.Sprintf("node %s step %d/%d", ev.NodeID, ev.Value, ev.Max))
	case plugins.EventCached:
		v.setStatus(addr, fmt.Sprintf("%d cached", len(ev.CachedNodes)))
	}
}

func (v *barView) RenderFinished(addr string, r core.RenderResult) {
	v.finish(addr)
	v.applyView.RenderFinished(addr, r)
}

func (v *barView) InstallProgress(addr string, p plugins.InstallProgress) {
	if p.BytesTotal <= 0 {
		v.setStatus(addr, p.Message)
		v.bar(addr, 0, false)
		return
	}
	b := v.bar(addr, p.BytesTotal, true)
	b.SetCurrent(p.BytesDone)
}

func (v *barView) InstallFinished(addr string, ok bool, summary string) {
	v.finish(addr)
	v.applyView.InstallFinished(addr, ok, summary)
}

func (v *barView) Skipped(addr, because string) {
	v.finish(addr)
	v.applyView.Skipped(addr, because)
}

// summary waits for the bars to clear, then prints apply's closing line.
func (v *barView) summary(interrupted bool) {
	v.mu.Lock()
	for addr, b := range v.bars {
		b.Abort(true)
		delete(v.bars, addr)
	}
	v.mu.Unlock()
	v.progress.Wait()
	v.applyView.w = v.out
	v.applyView.summary(interrupted)
}
