package web

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/nhsx/kb/internal/render"
)

// Paths the handler serves.
const (
	APIPath  = "/api/search"
	PagePath = "/search/"
)

// Handler serves the JSON API at /api/search and the results page at
// /search/, rendered with r's theme (r may be nil to serve the API alone).
// Bad input is a 400 saying what is wrong; nothing a visitor sends is a 500.
// Every request's cost is bounded (limits.go): its size before it is read, its
// search by a deadline, and the searches at once by a Gate; what is turned
// away is a 503 with Retry-After.
func Handler(idx *Index, r *render.Renderer, opts ...Option) http.Handler {
	h := &handler{idx: idx, r: r, deadline: searchTimeout, cache: "public, max-age=60"}
	for _, o := range opts {
		o(h)
	}
	if h.gate == nil {
		h.gate = NewGate(0, 0)
	}
	return h
}

type handler struct {
	idx      *Index
	r        *render.Renderer
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
	case html && h.r == nil, !html && req.URL.Path != APIPath:
		writeJSON(w, http.StatusNotFound, &BadRequest{Message: "not found: search is at " + APIPath})
		return
	case req.Method != http.MethodGet && req.Method != http.MethodHead:
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, &BadRequest{Message: req.Method + " is not allowed: use GET"})
		return
	}
	raw, err := ParseQuery(req.URL.RawQuery)
	var res *Result
	var sreq Request
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
	var br *BadRequest
	var busy *Busy
	switch {
	case errors.As(err, &br):
		writeJSON(w, http.StatusBadRequest, br)
	case errors.As(err, &busy):
		w.Header().Set("Retry-After", retryAfter)
		writeJSON(w, http.StatusServiceUnavailable, &BadRequest{Message: busy.Message})
	case err != nil:
		slog.Error("search failed", "url", truncate(req.URL.String(), 200), "err", err)
		writeJSON(w, http.StatusServiceUnavailable, &BadRequest{Message: "search is unavailable just now; try again"})
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
func (h *handler) searchValues(req *http.Request, v url.Values) (*Result, Request, error) {
	ctx, cancel := context.WithTimeout(req.Context(), h.deadline)
	defer cancel()
	sr, err := ParseRequest(v)
	if err != nil {
		return nil, sr, err
	}
	res, err := h.gate.run(ctx, sr.Query, func(ctx context.Context) (*Result, error) { return h.idx.Search(ctx, sr) })
	return res, sr, err
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	_ = enc.Encode(v)
}
