package search

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/nhsx/kb/internal/render"
)

// Paths the handler serves.
const (
	APIPath  = "/api/search"
	PagePath = "/search/"
)

// searchTimeout bounds one search, so a pathological query cannot hold a
// function or preview server for long.
const searchTimeout = 5 * time.Second

// Handler serves the JSON API at /api/search and the results page at
// /search/, rendered with r's theme (r may be nil to serve the API alone).
// Bad input is a 400 saying what is wrong; nothing a visitor sends is a 500.
func Handler(idx *Index, r *render.Renderer) http.Handler {
	return &handler{idx: idx, r: r}
}

type handler struct {
	idx *Index
	r   *render.Renderer
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
	res, sreq, err := h.search(req)
	if html {
		h.page(w, sreq, res, err)
		return
	}
	var br *BadRequest
	switch {
	case errors.As(err, &br):
		writeJSON(w, http.StatusBadRequest, br)
	case err != nil:
		slog.Error("search failed", "url", req.URL.String(), "err", err)
		writeJSON(w, http.StatusServiceUnavailable, &BadRequest{Message: "search is unavailable just now; try again"})
	default:
		w.Header().Set("Cache-Control", "public, max-age=60")
		writeJSON(w, http.StatusOK, res)
	}
}

func rawQuery(req *http.Request) string {
	if req.URL.RawQuery == "" {
		return ""
	}
	return "?" + req.URL.RawQuery
}

// search parses and runs the request in the URL.
func (h *handler) search(req *http.Request) (*Result, Request, error) {
	sr, err := ParseRequest(req.URL.Query())
	if err != nil {
		return nil, sr, err
	}
	ctx, cancel := context.WithTimeout(req.Context(), searchTimeout)
	defer cancel()
	res, err := h.idx.Search(ctx, sr)
	return res, sr, err
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	_ = enc.Encode(v)
}
