// Command prodserve builds the knowledge base and serves it as Netlify does
// in production, for measuring pages (make lighthouse, make screenshots):
// pretty URLs, 404.html for anything missing, the search function at
// /search/ and /api/search, the security headers, and gzip (kb serve sends
// files uncompressed and adds its reload script, which would skew the
// figures). Usage: go run ./cmd/prodserve [-addr 127.0.0.1:1414] [-source .]
package main

import (
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/hosting"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/secure"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:1414", "the address to listen on")
	source := flag.String("source", ".", "the knowledge base folder")
	flag.Parse()
	tmp, err := os.MkdirTemp("", "kb-prodserve-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "public")
	opt := build.Options{Source: *source, Out: out, ThemeDir: filepath.Join(*source, "themes", "default"),
		IndexDir: filepath.Join(tmp, "index.bleve")}
	m, _, err := build.Build(opt)
	if err != nil {
		log.Fatal(err)
	}
	idx, err := search.Open(opt.IndexDir)
	if err != nil {
		log.Fatal(err)
	}
	defer idx.Close()
	h, err := m.SearchHandler(idx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("prodserve: serving %s at http://%s/\n", out, *addr)
	log.Fatal(http.ListenAndServe(*addr, gzipped(secure.Middleware(hosting.Site(out, h)))))
}

// gzipped compresses every answer for clients that accept it, as Netlify's
// CDN does.
func gzipped(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Add("Vary", "Accept-Encoding")
		gz := gzip.NewWriter(w)
		defer gz.Close()
		next.ServeHTTP(gzipWriter{w, gz}, r)
	})
}

type gzipWriter struct {
	http.ResponseWriter
	gz *gzip.Writer
}

func (g gzipWriter) Write(b []byte) (int, error) { return g.gz.Write(b) }

func (g gzipWriter) WriteHeader(code int) {
	g.Header().Del("Content-Length")
	g.ResponseWriter.WriteHeader(code)
}
