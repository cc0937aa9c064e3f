// Package web serves the knowledge base's search over HTTP: the JSON API at
// /api/search and the results page at /search/, to kb serve and the Netlify
// function alike. It renders the results itself and shows them in a Frame it
// is given, so it needs nothing of the site or its theme.
package web

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/nhsx/kb/internal/search"
)

// Paths the handler serves.
const (
	APIPath  = "/api/search"
	PagePath = "/search/"
)

// Frame is the site's page that the results are shown in: head, header,
// navigation and footer, from the theme. frame.Frame is one, rendered by kb
// build for the function and by kb serve as the site changes.
type Frame interface {
	// Page writes the page with its title and main part filled in.
	Page(w io.Writer, title string, main template.HTML) error
}

// Handler serves the JSON API at /api/search and the results page at
// /search/, in frame f (nil to serve the API alone).
// Bad input is a 400 saying what is wrong; nothing a visitor sends is a 500.
// Every request's cost is bounded (limits.go): its size before it is read, its
// search by a deadline, and the searches at once by a Gate; what is turned
// away is a 503 with Retry-After.
func Handler(idx *search.Index, f Frame, opts ...Option) http.Handler {
	h := &handler{idx: idx, frame: f, results: parseResults(), deadline: searchTimeout, cache: "public, max-age=60"}
	for _, o := range opts {
		o(h)
	}
	if h.gate == nil {
		h.gate = NewGate(0, 0)
	}
	return h
}

type handler struct {
	idx      *search.Index
	frame    Frame
	results  *template.Template // the results page's main part
	gate     *Gate
	deadline time.Duration
	cache    string // Cache-Control of a successful answer
}

func (h *handler) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	html := req.URL.Path == PagePath
	switch {
	case req.URL.Path == "/search":
		http.Redirect(w, req, PagePath+rawQuery(req), http.StatusMovedPermanently)
		return
	case html && h.frame == nil, !html && req.URL.Path != APIPath:
		writeJSON(w, http.StatusNotFound, &search.BadRequest{Message: "not found: search is at " + APIPath})
		return
	case req.Method != http.MethodGet && req.Method != http.MethodHead:
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, &search.BadRequest{Message: req.Method + " is not allowed: use GET"})
		return
	}
	raw, err := ParseQuery(req.URL.RawQuery)
	var res *search.Result
	var sreq search.Request
	if err == nil {
		res, sreq, err = h.searchValues(req, raw)
	}
	if html {
		if err != nil && raw != nil {
			res, sreq, err = h.pageRetry(req, raw, err)
		}
		h.page(w, raw, sreq, res, err)
		return
	}
	var br *search.BadRequest
	var busy *Busy
	switch {
	case errors.As(err, &br):
		writeJSON(w, http.StatusBadRequest, br)
	case errors.As(err, &busy):
		w.Header().Set("Retry-After", retryAfter)
		writeJSON(w, http.StatusServiceUnavailable, &search.BadRequest{Message: busy.Message})
	case err != nil:
		slog.Error("search failed", "url", truncate(req.URL.String(), 200), "err", err)
		writeJSON(w, http.StatusServiceUnavailable, &search.BadRequest{Message: "search is unavailable just now; try again"})
	default:
		w.Header().Set("Cache-Control", h.cache)
		writeJSON(w, http.StatusOK, res)
	}
}

func rawQuery(req *http.Request) string {
	if req.URL.RawQuery == "" {
		return ""
	}
	return "?" + req.URL.RawQuery
}

// searchValues parses the request's parameters and runs it in a slot of the
// gate by the deadline, which runs from the request's arrival.
func (h *handler) searchValues(req *http.Request, v url.Values) (*search.Result, search.Request, error) {
	ctx, cancel := context.WithTimeout(req.Context(), h.deadline)
	defer cancel()
	sr, err := search.ParseRequest(v)
	if err != nil {
		return nil, sr, err
	}
	res, err := h.gate.run(ctx, sr.Query, func(ctx context.Context) (*search.Result, error) { return h.idx.Search(ctx, sr) })
	return res, sr, err
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	_ = enc.Encode(v)
}

// truncate shortens s to n characters for a log line.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
