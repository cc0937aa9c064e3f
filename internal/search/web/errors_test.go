package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestOnlyGETAndKnownPaths(t *testing.T) {
	s := mini(t)
	w := httptest.NewRecorder()
	s.Handler.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/api/search?q=x", nil))
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD" ||
		!strings.Contains(w.Body.String(), `"POST is not allowed: use GET"`) {
		t.Errorf("POST: %d %q %s", w.Code, w.Header().Get("Allow"), w.Body)
	}
	if w := s.Get(t, "/api/other"); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "search is at /api/search") {
		t.Errorf("/api/other: %d %s", w.Code, w.Body)
	}
	if w := s.Get(t, "/search?q=epr"); w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "/search/?q=epr" {
		t.Errorf("/search: %d %q", w.Code, w.Header().Get("Location"))
	}
}
