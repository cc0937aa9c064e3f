// Package hosting serves a built site as the production host (Netlify)
// does, for the tools that stand in for it here: cmd/prodserve, which
// Lighthouse and the screenshots measure, and the browser tests.
package hosting

import (
	"net/http"
	"os"
	"path/filepath"

	"github.com/nhsx/kb/internal/search/web"
)

// Site serves the built folder out with pretty URLs (a folder's
// index.html) and its 404.html for anything missing, and the search pages
// from searchHandler, as Netlify's redirects send them to the function.
func Site(out string, searchHandler http.Handler) http.Handler {
	files := http.FileServer(http.Dir(out))
	mux := http.NewServeMux()
	mux.Handle(web.PagePath, searchHandler)
	mux.Handle(web.APIPath, searchHandler)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		p := filepath.Join(out, filepath.FromSlash(filepath.Clean("/"+r.URL.Path)))
		if fi, err := os.Stat(p); err == nil && (!fi.IsDir() || exists(filepath.Join(p, "index.html"))) {
			files.ServeHTTP(w, r)
			return
		}
		body, _ := os.ReadFile(filepath.Join(out, "404.html"))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write(body)
	})
	return mux
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }
