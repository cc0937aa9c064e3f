package linkcheck

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/diag"
)

// externalServer answers as the sites sources point at do: a page, a moved
// page, a missing one, one too slow to wait for, and ones that refuse HEAD.
// It records the methods each path was asked with.
func externalServer(t *testing.T) (*httptest.Server, func(path string) []string) {
	var mu sync.Mutex
	asked := map[string][]string{}
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/no-head", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			w.WriteHeader(http.StatusMethodNotAllowed)
		}
	})
	mux.HandleFunc("/head-forbidden", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			w.WriteHeader(http.StatusForbidden)
		}
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[r.URL.Path] = append(asked[r.URL.Path], r.Method)
		mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, func(path string) []string { mu.Lock(); defer mu.Unlock(); return asked[path] }
}

func TestExternal(t *testing.T) {
	srv, asked := externalServer(t)
	at := func(line int) diag.Pos { return diag.Pos{File: "content/guides/a.md", Line: line, Col: 1} }
	targets := []Target{
		{srv.URL + "/ok", at(1)},
		{srv.URL + "/old", at(2)},
		{srv.URL + "/missing", at(3)},
		{srv.URL + "/slow", at(4)},
		{srv.URL + "/no-head", at(5)},
		{srv.URL + "/head-forbidden", at(6)},
		{srv.URL + "/missing", at(7)}, // asked once, reported at both places
	}
	e := External{Timeout: 300 * time.Millisecond, Concurrency: 2, UserAgent: "kb-test"}
	start := time.Now()
	got := e.Check(context.Background(), targets)
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("took %s: the per-request timeout did not stop the slow server", elapsed)
	}
	want := []struct {
		status        int
		final, err    string
		broken, moved bool
	}{
		{200, "", "", false, false},
		{200, srv.URL + "/new", "", false, true},
		{404, "", "the server answered 404 Not Found", true, false},
		{0, "", "no answer in time (the site is down or very slow)", true, false},
		{200, "", "", false, false},
		{200, "", "", false, false},
		{404, "", "the server answered 404 Not Found", true, false},
	}
	for i, w := range want {
		o := got[i]
		if o.Target != targets[i] || o.Status != w.status || o.Final != w.final || o.Err != w.err || o.Broken() != w.broken || o.Moved() != w.moved {
			t.Errorf("%s: got %+v (broken %v, moved %v), want %+v", targets[i].URL, o, o.Broken(), o.Moved(), w)
		}
	}
	for path, methods := range map[string][]string{"/ok": {"HEAD"}, "/missing": {"HEAD"}, "/no-head": {"HEAD", "GET"}, "/head-forbidden": {"HEAD", "GET"}} {
		if got := asked(path); len(got) != len(methods) || got[0] != methods[0] || got[len(got)-1] != methods[len(methods)-1] {
			t.Errorf("%s was asked with %v, want %v", path, got, methods)
		}
	}
}
