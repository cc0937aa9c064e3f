package search_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/search"
	kbsite "github.com/nhsx/kb/internal/site"
	"github.com/nhsx/kb/internal/sitetest"
	"github.com/nhsx/kb/internal/sitetest/sitebuild"
)

// site is a built test knowledge base with its index open and its handler.
type site struct {
	root    string
	index   string
	idx     *search.Index
	handler http.Handler
	model   *build.Model
}

// buildSite lays out the txtar archive, runs the real kb build into a temp
// folder (site and index), and opens the index the way kb serve would.
func buildSite(tb testing.TB, archive string) *site {
	tb.Helper()
	_, root := sitetest.Load(tb, archive)
	return buildAt(tb, root)
}

func buildAt(tb testing.TB, root string) *site {
	tb.Helper()
	b := sitebuild.Search(tb, root)
	return &site{root: b.Root, index: b.Index, idx: b.Idx, handler: b.Handler, model: b.Model}
}

// get sends a GET to the handler and returns the recorded answer.
func (s *site) get(tb testing.TB, target string) *httptest.ResponseRecorder {
	tb.Helper()
	w := httptest.NewRecorder()
	s.handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
	return w
}

// api queries /api/search and decodes a successful answer.
func (s *site) api(tb testing.TB, params string) search.Result {
	tb.Helper()
	w := s.get(tb, "/api/search?"+params)
	if w.Code != http.StatusOK {
		tb.Fatalf("GET /api/search?%s: status %d: %s", params, w.Code, w.Body)
	}
	var res search.Result
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		tb.Fatalf("GET /api/search?%s: %v", params, err)
	}
	return res
}

func urls(res search.Result) []string {
	var out []string
	for _, h := range res.Results {
		out = append(out, h.URL)
	}
	return out
}

// tempDir makes a folder that outlives the test that asked for it; TestMain
// removes them all.
func tempDir(t *testing.T) string {
	d, err := os.MkdirTemp("", "kb-search-test-")
	if err != nil {
		t.Fatal(err)
	}
	tempDirs = append(tempDirs, d)
	return d
}

var tempDirs []string

func TestMain(m *testing.M) {
	code := m.Run()
	if miniSite != nil {
		miniSite.idx.Close()
	}
	for _, d := range tempDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// searchPages is build.SearchPages, failing tb on its error.
func searchPages(tb testing.TB, pages []*kbsite.Page) []search.Page {
	tb.Helper()
	out, err := build.SearchPages(pages)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
