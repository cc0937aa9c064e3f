package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/nhsx/kb/internal/build"
)

// themeDir is the repository's default theme; its node_modules hold the NHS
// design system the assets come from (make deps).
func themeDir(t testing.TB) string {
	dir, err := filepath.Abs("../../themes/default")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		t.Skip("the theme's node_modules are not installed: run make deps")
	}
	return dir
}

// page is the Markdown of a guide.
func page(title, body string, extra ...string) string {
	return "---\ntitle: " + title + "\nsummary: About " + title + ".\nmeasures: [well-led]\ntopics: [cyber-security]\n" +
		strings.Join(extra, "\n") + "\n---\n\n" + body + "\n"
}

// testServer is a real preview server on 127.0.0.1:0 over a temporary site.
type testServer struct {
	t      testing.TB
	dir    string
	url    string
	client *http.Client
	builds chan buildReport
	srv    *Server
	stderr *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

func startServer(t testing.TB, files map[string]string, tweak ...func(*Options)) *testServer {
	t.Helper()
	return startServerAt(t, t.TempDir(), files, tweak...)
}

// startServerAt starts a server on the site in dir, after writing files there.
func startServerAt(t testing.TB, dir string, files map[string]string, tweak ...func(*Options)) *testServer {
	t.Helper()
	for name, body := range files {
		write(t, dir, name, body)
	}
	opt := Options{Build: build.Options{Source: dir, ThemeDir: themeDir(t)}, Quiet: 10 * time.Millisecond}
	ts := &testServer{t: t, dir: dir, builds: make(chan buildReport, 256), stderr: &syncBuffer{}, done: make(chan error, 1),
		client: &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}}
	opt.Stderr = ts.stderr
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.url = "http://" + ln.Addr().String()
	opt.Build.BaseURL = ts.url // as kb serve does: the preview's own address
	for _, f := range tweak {
		f(&opt)
	}
	s := New(opt)
	s.afterBuild = func(r buildReport) { ts.builds <- r }
	ts.srv = s
	ctx, cancel := context.WithCancel(context.Background())
	ts.cancel = cancel
	go func() { ts.done <- s.Serve(ctx, ln) }()
	ts.waitBuildWithin(10 * time.Minute) // the first build of a 10,000-page benchmark site takes a while, longer on a loaded machine
	t.Cleanup(ts.stop)
	return ts
}

// stop shuts the server down and checks that it returned cleanly.
func (ts *testServer) stop() {
	ts.cancel()
	select {
	case err := <-ts.done:
		if err != nil {
			ts.t.Errorf("Serve returned %v", err)
		}
		ts.done <- nil
	case <-time.After(10 * time.Second):
		ts.t.Error("server did not stop within 10s of cancel")
	}
	ts.client.CloseIdleConnections()
}

// write saves a file whole, as editors do: into a temporary file the
// watcher ignores, then renamed into place. Writing in place can let a build
// catch the file between truncating and writing it on a loaded machine; that
// build rightly fails ("file is empty"), and its report put a test one build
// behind the edits it waits for.
func write(t testing.TB, dir, name, body string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".tmp")
	if err := os.WriteFile(tmp, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
}

func (ts *testServer) write(name, body string) { write(ts.t, ts.dir, name, body) }

// waitBuild waits for the next build and returns its report.
func (ts *testServer) waitBuild() buildReport {
	ts.t.Helper()
	return ts.waitBuildWithin(10 * time.Second)
}

func (ts *testServer) waitBuildWithin(d time.Duration) buildReport {
	ts.t.Helper()
	select {
	case r := <-ts.builds:
		return r
	case <-time.After(d):
		ts.t.Fatalf("no build within %s", d)
		return buildReport{}
	}
}

// get fetches a path and parses the HTML.
func (ts *testServer) get(path string) (int, *html.Node, []byte) {
	ts.t.Helper()
	resp, err := ts.client.Get(ts.url + path)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		ts.t.Fatal(err)
	}
	return resp.StatusCode, doc, body
}

// find returns the first element matching pred, depth first.
func find(n *html.Node, pred func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && pred(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, pred); f != nil {
			return f
		}
	}
	return nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// mainText is the text of a page's <main>.
func mainText(doc *html.Node) string {
	m := find(doc, func(n *html.Node) bool { return n.Data == "main" })
	if m == nil {
		return ""
	}
	return text(m)
}

// links lists the hrefs inside <main>.
func links(doc *html.Node) map[string]bool {
	out := map[string]bool{}
	m := find(doc, func(n *html.Node) bool { return n.Data == "main" })
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "a" {
			out[attr(n, "href")] = true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	if m != nil {
		walk(m)
	}
	return out
}

// event is one server-sent event as a browser would see it.
type event struct {
	Name string
	Data map[string]any
}

// tab is an open page's event stream.
type tab struct {
	events chan event
	cancel context.CancelFunc
	done   chan struct{}
}

// open loads a page as a browser does, then connects its event stream with
// the version the page was served with.
func (ts *testServer) open(path string) *tab {
	ts.t.Helper()
	_, doc, _ := ts.get(path)
	v := ""
	if s := find(doc, func(n *html.Node) bool {
		return n.Data == "script" && strings.HasPrefix(attr(n, "src"), "/_kb/reload.js")
	}); s != nil {
		v = strings.TrimPrefix(attr(s, "src"), "/_kb/reload.js?v=")
	}
	return ts.connect(path, v)
}

func (ts *testServer) connect(path, v string) *tab {
	ts.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.url+"/_kb/events?path="+path+"&v="+v, nil)
	resp, err := ts.client.Do(req)
	if err != nil {
		cancel()
		ts.t.Fatal(err)
	}
	tb := &tab{events: make(chan event, 64), cancel: cancel, done: make(chan struct{})}
	go tb.read(ctx, resp.Body)
	ts.t.Cleanup(tb.close)
	if e := tb.next(ts.t); e.Name != "hello" {
		ts.t.Fatalf("first event %q, want hello", e.Name)
	}
	return tb
}

func (tb *tab) read(ctx context.Context, body io.ReadCloser) {
	defer close(tb.done)
	defer body.Close()
	sc := bufio.NewScanner(body)
	var e event
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			e.Name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &e.Data)
		case line == "" && e.Name != "":
			select {
			case tb.events <- e:
			case <-ctx.Done():
				return
			}
			e = event{}
		}
	}
}

func (tb *tab) close() {
	tb.cancel()
	<-tb.done
}

// next waits for the tab's next event.
func (tb *tab) next(t testing.TB) event {
	t.Helper()
	select {
	case e := <-tb.events:
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10s")
		return event{}
	}
}

// quiet asserts that no event is waiting for the tab.
func (tb *tab) quiet(t testing.TB) {
	t.Helper()
	select {
	case e := <-tb.events:
		t.Fatalf("unexpected event %s %v", e.Name, e.Data)
	case <-time.After(50 * time.Millisecond):
	}
}

// syncBuffer is a bytes.Buffer safe for the server's and the test's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (ts *testServer) rename(from, to string) {
	ts.t.Helper()
	if err := os.Rename(filepath.Join(ts.dir, from), filepath.Join(ts.dir, to)); err != nil {
		ts.t.Fatal(err)
	}
}

func (ts *testServer) remove(name string) {
	ts.t.Helper()
	if err := os.Remove(filepath.Join(ts.dir, name)); err != nil {
		ts.t.Fatal(err)
	}
}

func (ts *testServer) chmod(name string, mode os.FileMode) {
	ts.t.Helper()
	if err := os.Chmod(filepath.Join(ts.dir, name), mode); err != nil {
		ts.t.Fatal(err)
	}
}

// waitTabs waits until n browser tabs are listening.
func (ts *testServer) waitTabs(n int) {
	ts.t.Helper()
	for range 500 {
		if ts.srv.hub.count() >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	ts.t.Fatalf("%d tabs listening, want %d", ts.srv.hub.count(), n)
}
