package comfysim

import (
	"encoding/binary"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"
	"github.com/hashicorp/go-hclog"
)

const maxUploadSize = 104857600

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

type wsFrame struct {
	binary bool
	data   []byte
}

type wsClient struct {
	sid  string
	conn *websocket.Conn
	out  chan wsFrame
	done chan struct{}
	once sync.Once

	mu           sync.Mutex
	metaPreviews bool // negotiated supports_preview_metadata
}

func (c *wsClient) close() {
	c.once.Do(func() {
		close(c.done)
		_ = c.conn.Close()
	})
}

func (c *wsClient) wantsMetadata() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.metaPreviews
}

// hub is PromptServer.sockets plus send_sync's routing: sid "" broadcasts.
type hub struct {
	log     hclog.Logger
	drop    func() bool // fault injection: lose this message?
	mu      sync.Mutex
	clients map[string]*wsClient
}

func newHub(log hclog.Logger) *hub { return &hub{log: log, clients: map[string]*wsClient{}} }

func (h *hub) register(c *wsClient) {
	h.mu.Lock()
	old := h.clients[c.sid]
	h.clients[c.sid] = c
	h.mu.Unlock()
	if old != nil {
		old.close()
	}
}

func (h *hub) unregister(c *wsClient) {
	h.mu.Lock()
	if h.clients[c.sid] == c {
		delete(h.clients, c.sid)
	}
	h.mu.Unlock()
	c.close()
}

func (h *hub) closeAll() {
	h.mu.Lock()
	cs := make([]*wsClient, 0, len(h.clients))
	for _, c := range h.clients {
		cs = append(cs, c)
	}
	h.clients = map[string]*wsClient{}
	h.mu.Unlock()
	for _, c := range cs {
		c.close()
	}
}

// send queues {"type": typ, "data": data} for sid, or for everyone if sid == "".
func (h *hub) send(typ string, data any, sid string) {
	b, err := json.Marshal(map[string]any{"type": typ, "data": data})
	if err != nil {
		h.log.Error("ws marshal", "type", typ, "error", err)
		return
	}
	h.deliver(sid, func(*wsClient) []wsFrame { return []wsFrame{{data: b}} })
}

func (h *hub) deliver(sid string, frames func(*wsClient) []wsFrame) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, c := range h.clients {
		if sid != "" && id != sid {
			continue
		}
		for _, f := range frames(c) {
			if h.drop != nil && h.drop() {
				continue
			}
			select {
			case c.out <- f:
			case <-c.done:
			default:
				h.log.Warn("ws client too slow, dropping it", "sid", id)
				go c.close()
			}
		}
	}
}

// sendProgressPreview sends a progress message with a preview image: binary
// type 4 (with metadata) then progress to clients that negotiated
// supports_preview_metadata, progress then type 1 to the others — the
// orders of the two captures.
func (h *hub) sendProgressPreview(sid string, progress map[string]any, img []byte, jpeg bool, meta map[string]any) {
	format := uint32(2) // PNG
	meta["image_type"] = "image/png"
	if jpeg {
		format = 1
		meta["image_type"] = "image/jpeg"
	}
	mb, _ := json.Marshal(meta)
	pb, _ := json.Marshal(map[string]any{"type": "progress", "data": progress})
	h.deliver(sid, func(c *wsClient) []wsFrame {
		var buf []byte
		if c.wantsMetadata() {
			buf = binary.BigEndian.AppendUint32(buf, 4)
			buf = binary.BigEndian.AppendUint32(buf, uint32(len(mb)))
			buf = append(buf, mb...)
			return []wsFrame{{binary: true, data: append(buf, img...)}, {data: pb}}
		}
		buf = binary.BigEndian.AppendUint32(buf, 1)
		buf = binary.BigEndian.AppendUint32(buf, format)
		return []wsFrame{{data: pb}, {binary: true, data: append(buf, img...)}}
	})
}

// sendText is a binary type 3 frame: [3][len(node_id)][node_id][text]
// (PromptServer.send_progress_text).
func (h *hub) sendText(sid, nodeID, text string) {
	var buf []byte
	buf = binary.BigEndian.AppendUint32(buf, 3)
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(nodeID)))
	buf = append(buf, nodeID...)
	buf = append(buf, text...)
	h.deliver(sid, func(*wsClient) []wsFrame { return []wsFrame{{binary: true, data: buf}} })
}

func (s *Server) statusData() map[string]any {
	return map[string]any{"status": map[string]any{"exec_info": map[string]any{"queue_remaining": s.queue.remaining()}}}
}

// queueUpdated is PromptServer.queue_updated: a status broadcast. The
// queue calls it with its lock held.
func (s *Server) queueUpdated(remaining int) {
	s.hub.send("status", map[string]any{"status": map[string]any{"exec_info": map[string]any{"queue_remaining": remaining}}}, "")
}

func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	sid := r.URL.Query().Get("clientId")
	if sid == "" {
		sid = strings.ReplaceAll(uuid.NewString(), "-", "")
	}
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	key := sid
	if s.cloud() { // clientId is ignored: sockets never replace each other
		key = sid + "#" + uuid.NewString()
	}
	c := &wsClient{sid: key, conn: conn, out: make(chan wsFrame, 8192), done: make(chan struct{})}
	first := s.statusData()
	first["sid"] = sid
	fb, _ := json.Marshal(map[string]any{"type": "status", "data": first})
	c.out <- wsFrame{data: fb}
	s.hub.register(c)
	if node, ok := s.executingNodeFor(sid); ok && !s.cloud() {
		s.hub.send("executing", map[string]any{"node": node}, sid)
	}
	go s.wsWriter(c)
	s.wsReader(c)
}

// wsWriter sends queued frames, applying the WebSocket faults: delays and
// an abrupt cut after N messages (drops happen in hub.deliver, so the first
// status, queued directly, is never lost).
func (s *Server) wsWriter(c *wsClient) {
	sent := 0
	for {
		select {
		case <-c.done:
			return
		case f := <-c.out:
			fl := s.currentFaults()
			if fl.WSDelay > 0 {
				select {
				case <-time.After(fl.WSDelay):
				case <-c.done:
					return
				}
			}
			typ := websocket.TextMessage
			if f.binary {
				typ = websocket.BinaryMessage
			}
			_ = c.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if err := c.conn.WriteMessage(typ, f.data); err != nil {
				s.hub.unregister(c)
				return
			}
			sent++
			if fl.WSCutAfter > 0 && sent >= fl.WSCutAfter {
				_ = c.conn.UnderlyingConn().Close() // no close frame: a cut
				s.hub.unregister(c)
				return
			}
		}
	}
}

// wsReader interprets only the first text message (feature_flags), then
// drains until the socket closes.
func (s *Server) wsReader(c *wsClient) {
	defer s.hub.unregister(c)
	first := true
	for {
		mt, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		if mt != websocket.TextMessage || !first {
			continue
		}
		first = false
		var msg struct {
			Type string         `json:"type"`
			Data map[string]any `json:"data"`
		}
		if json.Unmarshal(data, &msg) != nil || msg.Type != "feature_flags" {
			continue
		}
		c.mu.Lock()
		c.metaPreviews, _ = msg.Data["supports_preview_metadata"].(bool)
		c.mu.Unlock()
		s.hub.send("feature_flags", serverFeatures(), c.sid)
	}
}

func serverFeatures() map[string]any {
	return map[string]any{"supports_preview_metadata": true, "max_upload_size": maxUploadSize}
}
