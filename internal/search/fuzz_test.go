package search_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/search"
)

// FuzzHandler sends arbitrary query strings to the JSON API and the results
// page. Whatever a visitor sends, the answer is a 2xx, 3xx or 4xx with a
// well-formed body (never a 5xx), and the page carries exactly the theme's
// own scripts: nothing in the query can add one.
func FuzzHandler(f *testing.F) {
	for _, q := range []string{
		"q=digital", "q=%22virtual+ward%22&measure=well-led&sort=newest", "q=&page=2&size=1",
		"q=%ff%fe", "page=-1", "size=100000", "sort=sideways", "measure=nope&type=x",
		"q=%3Cscript%3Ealert(1)%3C/script%3E", "q=a*b?c~2^3", "q=" + strings.Repeat("x", 600),
		"topic=a,b,,c&organisation=%00", "q=+-&&||!(){}[]^\"~*?:\\/",
	} {
		f.Add(q)
	}
	s := buildSite(f, "testdata/mini.txtar")
	baseline := scripts(get(s.handler, search.PagePath, ""))
	f.Fuzz(func(t *testing.T, raw string) {
		api := get(s.handler, search.APIPath, raw)
		if api.Code >= 500 {
			t.Fatalf("API %q: status %d: %s", raw, api.Code, api.Body)
		}
		if !json.Valid(api.Body.Bytes()) {
			t.Fatalf("API %q: body is not JSON: %s", raw, api.Body)
		}
		page := get(s.handler, search.PagePath, raw)
		if page.Code >= 500 {
			t.Fatalf("page %q: status %d", raw, page.Code)
		}
		if page.Code == http.StatusOK {
			if n := scripts(page); n != baseline {
				t.Fatalf("page %q has %d script elements, want the theme's %d", raw, n, baseline)
			}
		}
	})
}

// get sends a GET with a raw query string, which need not be valid.
func get(h http.Handler, path, raw string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.URL.Path, req.URL.RawQuery = path, raw
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func scripts(w *httptest.ResponseRecorder) int {
	return strings.Count(strings.ToLower(w.Body.String()), "<script")
}
