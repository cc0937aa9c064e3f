package serve

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// heartbeat keeps idle event streams open through proxies and lets the
// server notice tabs that were closed.
const heartbeat = 20 * time.Second

// events streams server-sent events to one tab. The tab says which page it
// shows (path) and which build it was served from (v): if that page changed
// since, or the server restarted, it is told to reload at once.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming is not supported", http.StatusInternalServerError)
		return
	}
	q := r.URL.Query()
	c := s.hub.join(outputPath(q.Get("path")))
	defer s.hub.leave(c)
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	for _, m := range s.greeting(c.page, q.Get("v")) {
		writeEvent(w, m)
	}
	fl.Flush()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case m := <-c.ch:
			writeEvent(w, m)
		case <-tick.C:
			fmt.Fprint(w, ": ping\n\n")
		case <-c.kick:
			return
		case <-s.quit:
			return
		case <-r.Context().Done():
			return
		}
		fl.Flush()
	}
}

// greeting is what a tab hears on connecting: the current version, then a
// reload if its page or a script changed since the tab was served, or else
// the stylesheets that changed since (saved while it was reconnecting), and
// the current problems if the last build failed.
func (s *Server) greeting(page, v string) []message {
	s.mu.RLock()
	defer s.mu.RUnlock()
	msgs := []message{newMessage("hello", map[string]any{"version": s.st.version})}
	epoch, n, _ := strings.Cut(v, ".")
	seen, err := strconv.Atoi(n)
	if v != "" {
		css, script := s.assetsSince(seen)
		switch {
		case epoch != s.epoch || err != nil, script,
			s.st.changed[page] > seen,
			seen == 0 && s.st.outs != nil: // served the error page, now there is a site
			msgs = append(msgs, newMessage("reload", map[string]any{"version": s.st.version}))
		case len(css) > 0:
			msgs = append(msgs, newMessage("css", map[string]any{"paths": css}))
		}
	}
	if len(s.st.problems) > 0 {
		msgs = append(msgs, newMessage("problems", map[string]any{"problems": s.st.problems}))
	}
	return msgs
}

// assetsSince lists the stylesheets (as URL paths, sorted) changed or
// removed after version seen, and says whether a script was. s.mu is held.
func (s *Server) assetsSince(seen int) (css []string, script bool) {
	for p, v := range s.st.changed {
		if v <= seen {
			continue
		}
		switch assetKind(p) {
		case ".css":
			css = append(css, "/"+p)
		case ".js":
			script = true
		}
	}
	sort.Strings(css)
	return css, script
}

func writeEvent(w http.ResponseWriter, m message) {
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", m.event, m.data)
}
