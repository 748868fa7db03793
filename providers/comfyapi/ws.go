package comfyapi

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// eventHub owns the one WebSocket of a Client. It reconnects with backoff,
// attributes frames that carry no prompt id to the running prompt, and fans
// events out to Wait calls by prompt id. A short backlog lets a Wait that
// starts after its prompt's first events (or even its end) still see them.
type eventHub struct {
	c *Client

	mu      sync.Mutex
	subs    map[*subscription]struct{}
	backlog []Event
	// previews are kept apart and few: they can be large images.
	previews []Event
	running  string // prompt id of the last execution_start
	conn     *websocket.Conn
	started  bool
	closed   bool

	firstAttempt chan struct{} // closed once the first dial finished
	stop         chan struct{}
	done         chan struct{}
}

const (
	backlogSize    = 4096
	previewBacklog = 8
	subscriberBuf  = 4096
	maxFrameBytes  = 64 << 20
	firstDialLimit = 10 * time.Second
	// stableConnection is how long a socket must live to count as healthy.
	stableConnection = 10 * time.Second
)

type subscription struct {
	promptID string
	events   chan Event
	drops    chan struct{} // signalled (non-blocking) when the socket drops
}

func newEventHub(c *Client) *eventHub {
	return &eventHub{
		c:            c,
		subs:         map[*subscription]struct{}{},
		firstAttempt: make(chan struct{}),
		stop:         make(chan struct{}),
		done:         make(chan struct{}),
	}
}

// ensureConnected starts the socket loop once and waits (bounded) for the
// first dial, so a submit that follows is heard from its first event.
func (h *eventHub) ensureConnected(ctx context.Context) {
	h.mu.Lock()
	if !h.started && !h.closed {
		h.started = true
		go h.run()
	}
	started := h.started
	h.mu.Unlock()
	if !started {
		return
	}
	t := time.NewTimer(firstDialLimit)
	defer t.Stop()
	select {
	case <-h.firstAttempt:
	case <-ctx.Done():
	case <-t.C:
	}
}

func (h *eventHub) run() {
	defer close(h.done)
	var once sync.Once
	for attempt := 0; ; attempt++ {
		conn, err := h.dial()
		once.Do(func() { close(h.firstAttempt) })
		if err == nil {
			began := time.Now()
			h.readLoop(conn)
			h.notifyDrop()
			// Only a connection that lived a while resets the backoff; a
			// proxy that accepts and at once closes must not be hammered.
			if time.Since(began) > stableConnection {
				attempt = 0
			}
		} else {
			h.c.log.Debug("event socket dial failed", "url", redactURL(h.c.wsURL()), "error", err)
		}
		select {
		case <-h.stop:
			return
		case <-time.After(backoff(attempt)):
		}
	}
}

func (h *eventHub) dial() (*websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), firstDialLimit)
	defer cancel()
	go func() {
		select {
		case <-h.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	d := websocket.Dialer{Proxy: http.ProxyFromEnvironment, HandshakeTimeout: firstDialLimit}
	hdr := http.Header{}
	h.c.authHeaders(hdr)
	conn, resp, err := d.DialContext(ctx, h.c.wsURL(), hdr)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(maxFrameBytes)
	// Ask for type-4 previews, which carry their prompt id.
	_ = conn.WriteJSON(map[string]any{"type": "feature_flags", "data": map[string]any{"supports_preview_metadata": true}})
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		conn.Close()
		return nil, websocket.ErrCloseSent
	}
	h.conn = conn
	return conn, nil
}

func (h *eventHub) readLoop(conn *websocket.Conn) {
	defer func() {
		h.mu.Lock()
		h.conn = nil
		h.mu.Unlock()
		conn.Close()
	}()
	for {
		kind, data, err := conn.ReadMessage()
		if err != nil {
			h.c.log.Debug("event socket closed", "error", err)
			return
		}
		var ev Event
		var ok bool
		if kind == websocket.BinaryMessage {
			var perr error
			ev, perr = parseBinaryFrame(data)
			ok = perr == nil
		} else {
			ev, ok = parseTextFrame(data)
		}
		if ok {
			h.dispatch(ev)
		}
	}
}

// dispatch attributes, records and fans out one event.
func (h *eventHub) dispatch(ev Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if ev.Type == EventExecutionStart {
		h.running = ev.PromptID
	}
	if ev.PromptID == "" && ev.Type != EventStatus && ev.Type != EventNotification {
		ev.PromptID = h.running
	}
	if ev.Terminal() && ev.PromptID == h.running {
		h.running = ""
	}
	switch {
	case ev.PromptID == "":
	case ev.Type == EventPreview:
		if len(h.previews) >= previewBacklog {
			h.previews = append(h.previews[:0], h.previews[1:]...)
		}
		h.previews = append(h.previews, ev)
	default:
		if len(h.backlog) >= backlogSize {
			h.backlog = append(h.backlog[:0], h.backlog[backlogSize/2:]...)
		}
		h.backlog = append(h.backlog, ev)
	}
	broadcast := ev.Type == EventStatus || ev.Type == EventNotification
	if ev.PromptID == "" && !broadcast {
		return // e.g. the "executing" a reconnect gets mid-run: nobody's to claim
	}
	for s := range h.subs {
		if broadcast || ev.PromptID == s.promptID {
			select {
			case s.events <- ev:
			default: // a stalled reader loses events; history reconciles
			}
		}
	}
}

func (h *eventHub) subscribe(promptID string) *subscription {
	s := &subscription{promptID: promptID, events: make(chan Event, subscriberBuf), drops: make(chan struct{}, 1)}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, backlog := range [][]Event{h.previews, h.backlog} {
		for _, ev := range backlog {
			if ev.PromptID == promptID {
				select {
				case s.events <- ev:
				default:
				}
			}
		}
	}
	h.subs[s] = struct{}{}
	return s
}

func (h *eventHub) unsubscribe(s *subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, s)
}

func (h *eventHub) notifyDrop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		select {
		case s.drops <- struct{}{}:
		default:
		}
	}
}

// forget drops a finished prompt's backlog.
func (h *eventHub) forget(promptID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.backlog = without(h.backlog, promptID)
	h.previews = without(h.previews, promptID)
}

func without(events []Event, promptID string) []Event {
	kept := events[:0]
	for _, ev := range events {
		if ev.PromptID != promptID {
			kept = append(kept, ev)
		}
	}
	return kept
}

func (h *eventHub) close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	started := h.started
	close(h.stop)
	if h.conn != nil {
		h.conn.Close()
	}
	h.mu.Unlock()
	if started {
		<-h.done
	}
}
