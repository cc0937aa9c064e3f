package serve

import (
	"bufio"
	"context"
	"golang.org/x/net/html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/render"
)

// An idle keep-alive connection is closed after the idle timeout, and the
// server always has one, and a header timeout: a client that opens
// connections and leaves them idle cannot hold them for ever.
func TestIdleConnectionsAreClosed(t *testing.T) {
	if srv := New(Options{}).httpServer(context.Background()); srv.IdleTimeout <= 0 || srv.ReadHeaderTimeout <= 0 ||
		srv.MaxHeaderBytes <= 0 || srv.ReadTimeout != 0 || srv.WriteTimeout != 0 {
		t.Errorf("idle %s, header %s, header bytes %d, read %s, write %s: want the first three set, no read or write timeout (event streams)",
			srv.IdleTimeout, srv.ReadHeaderTimeout, srv.MaxHeaderBytes, srv.ReadTimeout, srv.WriteTimeout)
	}
	ts := startServer(t, sampleSite(), func(o *Options) { o.idleTimeout = 200 * time.Millisecond })
	conn, err := net.Dial("tcp", strings.TrimPrefix(ts.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET /guides/a/ HTTP/1.1\r\nHost: localhost\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	if _, err := br.ReadByte(); err != io.EOF {
		t.Errorf("idle connection still open after %s: %v", time.Since(start).Round(time.Millisecond), err)
	}
}

// The server serves nothing but the built site: no path climbs out of it, no
// method but GET and HEAD is accepted, no foreign Host is answered.
func TestServesOnlyTheSite(t *testing.T) {
	ts := startServer(t, sampleSite())
	cases := []struct {
		method, path, host string
		want               int
	}{
		{"GET", "/guides/a/", "", http.StatusOK},
		{"HEAD", "/guides/a/", "", http.StatusOK},
		{"GET", "/guides/a", "", http.StatusMovedPermanently},
		{"GET", "/../../../etc/passwd", "", http.StatusTemporaryRedirect}, // to the clean path, /etc/passwd: a 404
		{"GET", "/content/guides/a.md", "", http.StatusNotFound},
		{"GET", "/site.yaml", "", http.StatusNotFound},
		{"GET", "/%2e%2e/site.yaml", "", http.StatusNotFound},
		{"POST", "/guides/a/", "", http.StatusMethodNotAllowed},
		{"GET", "/guides/a/", "evil.example:80", http.StatusForbidden},
		{"GET", "/guides/a/", "localhost:1313", http.StatusOK},
		// Host names are case-insensitive and may end in the root's dot.
		{"GET", "/guides/a/", "LOCALHOST:1313", http.StatusOK},
		{"GET", "/guides/a/", "Docs.LocalHost", http.StatusOK},
		{"GET", "/guides/a/", "localhost.:1313", http.StatusOK},
		{"GET", "/guides/a/", "[::1]:1313", http.StatusOK},
		{"GET", "/guides/a/", "localhost.evil.example", http.StatusForbidden},
		{"GET", "/guides/a/", "LOCALHOST.evil.example.", http.StatusForbidden},
		{"GET", "/guides/a/", "evil.example.", http.StatusForbidden},
		{"GET", "/guides/a/", "localhost..", http.StatusForbidden},
		{"GET", "/_kb/reload.js", "", http.StatusOK},
		{"GET", "/api/search?q=alpha", "", http.StatusServiceUnavailable},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, ts.url+c.path, nil)
		if c.host != "" {
			req.Host = c.host
		}
		tr := &http.Transport{}
		resp, err := (&http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		tr.CloseIdleConnections()
		if resp.StatusCode != c.want {
			t.Errorf("%s %s (Host %q): %d, want %d", c.method, c.path, c.host, resp.StatusCode, c.want)
		}
		if strings.Contains(string(body), "title: Alpha guide") {
			t.Errorf("%s %s served a source file", c.method, c.path)
		}
	}
}

// The reload script is only in kb serve's pages, with the build version.
func TestScriptOnlyInPreview(t *testing.T) {
	ts := startServer(t, sampleSite())
	_, doc, _ := ts.get("/guides/a/")
	s := find(doc, func(n *html.Node) bool {
		return n.Data == "script" && strings.HasPrefix(attr(n, "src"), "/_kb/reload.js?v=")
	})
	if s == nil {
		t.Fatal("preview page lacks the reload script")
	}
	m, err := build.Load(build.Options{Source: ts.dir, ThemeDir: themeDir(t)})
	if err != nil {
		t.Fatal(err)
	}
	outs, err := m.Render()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		if strings.Contains(string(o.Data), "/_kb/") {
			t.Errorf("kb build output %s mentions /_kb/", o.Path)
		}
	}
}

// Ctrl-C stops the server with open event streams, leaving no goroutine.
func TestShutdownLeavesNoGoroutine(t *testing.T) {
	defer goleak.VerifyNone(t, append(leakOptions, goleak.IgnoreCurrent())...)
	dir := t.TempDir()
	for name, body := range sampleSite() {
		write(t, dir, name, body)
	}
	s := New(Options{Build: build.Options{Source: dir, ThemeDir: themeDir(t)}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	var resp *http.Response
	for range 100 { // wait for the listener to answer
		if resp, err = (&http.Client{Transport: tr}).Get("http://" + ln.Addr().String() + "/_kb/events?path=/"); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return within 5s of cancel")
	}
	io.Copy(io.Discard, resp.Body) // the stream ended with the server
}

// FuzzHandler sends arbitrary paths: the answer is never a 5xx, and a 200 is
// always one of the build's outputs or the server's own files.
func FuzzHandler(f *testing.F) {
	for _, seed := range []string{"/", "/guides/a/", "/guides/a", "/../etc/passwd", "//x", "/%00", "/_kb/events?path=/x&v=1.2",
		"/assets/kb.css", "/a/../../b", "/guides/a/index.html", "/\\..\\x", "/_kb/reload.js"} {
		f.Add(seed)
	}
	outs := map[string]render.Output{
		"index.html":          {Path: "index.html", Data: []byte("<p>home</p>")},
		"guides/a/index.html": {Path: "guides/a/index.html", Data: []byte(`<script src="/_kb/reload.js" defer></script>`)},
		"404.html":            {Path: "404.html", Data: []byte("<p>not found</p>")},
		"assets/kb.css":       {Path: "assets/kb.css", Data: []byte("body{}")},
	}
	s := New(Options{})
	s.st.outs, s.st.version = outs, 1
	close(s.quit) // event streams answer and end at once
	h := s.Handler()
	f.Fuzz(func(t *testing.T, target string) {
		req := httptest.NewRequest("GET", "http://127.0.0.1/", nil)
		req.URL.Path = target
		req.URL.RawQuery = ""
		if i := strings.IndexByte(target, '?'); i >= 0 {
			req.URL.Path, req.URL.RawQuery = target[:i], target[i+1:]
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%q: status %d", target, w.Code)
		}
		if w.Code == http.StatusOK && !strings.HasPrefix(req.URL.Path, "/_kb/") {
			name, found, _ := lookup(outs, req.URL.Path)
			if !found {
				t.Fatalf("%q: 200 for a path that is not an output", target)
			}
			if want := string(outs[name].Data); !strings.Contains(w.Body.String(), strings.Split(want, "/_kb/")[0]) {
				t.Fatalf("%q: body %q is not output %s", target, w.Body.String(), name)
			}
		}
	})
}
