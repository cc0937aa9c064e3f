package serve

import (
	"encoding/json"
	"sync"
)

// message is one server-sent event.
type message struct {
	event string
	data  []byte
}

func newMessage(event string, v any) message {
	data, _ := json.Marshal(v)
	return message{event: event, data: data}
}

// client is one open browser tab, listening for events about the page it shows.
type client struct {
	page string // the output path of the page shown, such as guides/x/index.html
	ch   chan message
	kick chan struct{} // closed when the client fell behind: it reconnects and catches up
}

// hub knows the open tabs, so that a rebuild reloads only those showing a
// page it changed.
type hub struct {
	mu      sync.Mutex
	clients map[*client]bool
}

func newHub() *hub { return &hub{clients: map[*client]bool{}} }

func (h *hub) join(page string) *client {
	c := &client{page: page, ch: make(chan message, 16), kick: make(chan struct{})}
	h.mu.Lock()
	h.clients[c] = true
	h.mu.Unlock()
	return c
}

func (h *hub) leave(c *client) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
}

// send gives each client the message pick returns for it, if any. A client
// whose queue is full is disconnected rather than waited for: its browser
// reconnects, and the version check on connecting reloads it if needed.
func (h *hub) send(pick func(c *client) (message, bool)) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for c := range h.clients {
		m, ok := pick(c)
		if !ok {
			continue
		}
		select {
		case c.ch <- m:
			n++
		default:
			delete(h.clients, c)
			close(c.kick)
		}
	}
	return n
}

// count is the number of connected tabs.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}
