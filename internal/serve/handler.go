package serve

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/nhsx/kb/internal/assess"
	"github.com/nhsx/kb/internal/render"
	"github.com/nhsx/kb/internal/secure"
)

// The browser side: a script (no inline code, so a strict Content Security
// Policy holds) and the overlay's stylesheet.
var (
	//go:embed reload.js
	reloadJS []byte
	//go:embed overlay.css
	overlayCSS []byte
)

// scriptRef is how base.html refers to the reload script; the server adds the
// build version to it, so that a tab connecting late learns what it missed.
const scriptRef = `/_kb/reload.js"`

// Handler serves the built site, the reload script and its event stream, and
// search. It serves nothing but what the build produced.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/_kb/reload.js", static(reloadJS, "text/javascript; charset=utf-8"))
	mux.HandleFunc("/_kb/overlay.css", static(overlayCSS, "text/css; charset=utf-8"))
	mux.HandleFunc("/_kb/events", s.events)
	mux.HandleFunc("/api/search", s.search)
	mux.HandleFunc("/search/", s.search)
	mux.Handle(assess.IndexPath, s.assess())
	mux.HandleFunc("/", s.site)
	// The same security headers as production, so a page that needs an
	// inline script or style fails in the preview, not after deploying.
	return secure.Middleware(s.guard(mux))
}

// guard refuses what a preview never needs: methods other than GET and HEAD,
// and, on a loopback address, a Host header that is not local.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "kb serve only reads: use GET", http.StatusMethodNotAllowed)
			return
		}
		if s.loopback && !localHost(r.Host) {
			http.Error(w, "kb serve answers only to localhost, 127.0.0.1 and [::1]", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// localHost says whether a Host header names this machine: localhost or a
// name under it, or a loopback address. Host names are compared as DNS
// compares them, ignoring case and a trailing dot (LOCALHOST, localhost.);
// nothing else is loosened, so evil.example and localhost.evil.example stay out.
func localHost(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	host = strings.Trim(host, "[]")
	name := strings.ToLower(strings.TrimSuffix(host, "."))
	if name == "localhost" || strings.HasSuffix(name, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func static(body []byte, ctype string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Write(body)
	}
}

// site serves one output of the last good build.
func (s *Server) site(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	outs, version, problems := s.st.outs, s.st.version, s.st.problems
	s.mu.RUnlock()
	if outs == nil {
		s.errorPage(w, problems)
		return
	}
	name, found, redirect := lookup(outs, r.URL.Path)
	switch {
	case redirect:
		http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
	case found:
		s.serveOutput(w, r, outs[name], version, http.StatusOK)
	case s.draftNotFound(w, r, outs, version):
	default:
		nf, ok := outs["404.html"]
		if !ok {
			http.NotFound(w, r)
			return
		}
		s.serveOutput(w, r, nf, version, http.StatusNotFound)
	}
}

// lookup finds the output for a URL path: /x/ is x/index.html, and /x
// redirects to /x/ when that is a page.
func lookup(outs map[string]render.Output, urlPath string) (name string, found, redirect bool) {
	name = outputPath(urlPath)
	if _, ok := outs[name]; ok {
		return name, true, false
	}
	if !strings.HasSuffix(urlPath, "/") {
		if _, ok := outs[name+"/index.html"]; ok && name != "" {
			return name, false, true
		}
	}
	return name, false, false
}

// outputPath turns a URL path into the output path it names, without
// looking: /guides/x/ → guides/x/index.html. Paths are cleaned first, so no
// name ever climbs out of the site.
func outputPath(urlPath string) string {
	clean := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if strings.HasSuffix(urlPath, "/") || clean == "" {
		if clean == "" {
			return "index.html"
		}
		return clean + "/index.html"
	}
	return clean
}

// serveOutput writes one output; HTML gets the version in its script link.
func (s *Server) serveOutput(w http.ResponseWriter, r *http.Request, o render.Output, version, status int) {
	if o.File != "" {
		f, err := os.Open(o.File)
		if err != nil {
			http.Error(w, "file gone since the last build: save again to rebuild", http.StatusNotFound)
			return
		}
		defer f.Close()
		fi, _ := f.Stat()
		http.ServeContent(w, r, o.Path, fi.ModTime(), f)
		return
	}
	data := o.Data
	if strings.HasSuffix(o.Path, ".html") {
		data = bytes.Replace(data, []byte(scriptRef), []byte(s.scriptRef(version)), 1)
	}
	if status == http.StatusOK {
		http.ServeContent(w, r, o.Path, time.Time{}, bytes.NewReader(data))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(data)
}

func (s *Server) scriptRef(version int) string {
	return "/_kb/reload.js?v=" + s.epoch + "." + strconv.Itoa(version) + `"`
}

// search hands /search/ and /api/search to the search index; before the
// search package is wired in, /search/ is the built page and the API says so.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	h := s.st.search
	s.mu.RUnlock()
	if h != nil {
		h.ServeHTTP(w, r)
		return
	}
	if r.URL.Path == "/api/search" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, `{"message":"search is not available in this preview"}`)
		return
	}
	s.site(w, r)
}

var errorTpl = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>kb: the site could not be built</title>
<link rel="stylesheet" href="/_kb/overlay.css"><script src="{{.Script}}" defer></script></head>
<body class="kb-error-page"><h1>The site could not be built</h1>
<p>Fix the problems below and save: this page reloads by itself.</p>
<ul>{{range .Problems}}<li><pre>{{.Text}}</pre></li>{{end}}</ul></body></html>
`))

// errorPage is served while no build has succeeded yet.
func (s *Server) errorPage(w http.ResponseWriter, problems []Problem) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	ref := s.scriptRef(0)
	errorTpl.Execute(w, map[string]any{"Script": template.URL(ref[:len(ref)-1]), "Problems": problems})
}
