package sitetest

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// LinkServer answers as the outside sites a knowledge base links to do, for
// tests of kb check --external: /ok and /new are pages, /old redirects
// (301) to /new, /missing is 404, /slow never answers (until the test ends),
// and /no-head and /head-forbidden refuse HEAD (405, 403) but answer GET.
// With tls it serves https (use its Client). asked lists the methods a path
// was requested with.
func LinkServer(tb testing.TB, tls bool) (srv *httptest.Server, asked func(path string) []string) {
	tb.Helper()
	var mu sync.Mutex
	methods := map[string][]string{}
	refuseHead := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead {
				w.WriteHeader(status)
			}
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/missing", http.NotFound)
	done := make(chan struct{})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	})
	mux.HandleFunc("/no-head", refuseHead(http.StatusMethodNotAllowed))
	mux.HandleFunc("/head-forbidden", refuseHead(http.StatusForbidden))
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		methods[r.URL.Path] = append(methods[r.URL.Path], r.Method)
		mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	tb.Cleanup(srv.Close)
	tb.Cleanup(func() { close(done) }) // runs first: lets /slow return so Close does not wait
	return srv, func(path string) []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), methods[path]...)
	}
}
