package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/search/web"
	"github.com/nhsx/kb/internal/sitetest"
	"github.com/nhsx/kb/internal/sitetest/sitebuild"
)

// site is a built test knowledge base with its index open and its handler,
// served in the frame of the default theme, as kb serve serves it.
type site struct {
	root    string
	index   string
	idx     *search.Index
	handler http.Handler
	model   *build.Model
}

// miniArchive is the search package's shared test site.
const miniArchive = "../testdata/mini.txtar"

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

var (
	miniOnce sync.Once
	miniSite *site
)

// mini builds the shared test site once; tests only read it.
func mini(t *testing.T) *site {
	miniOnce.Do(func() { miniSite = buildSite(&onceTB{T: t}, miniArchive) })
	if miniSite == nil {
		t.Fatal("the test site did not build")
	}
	return miniSite
}

// onceTB keeps the shared site's temp folders and index for the whole run,
// rather than the first test's.
type onceTB struct{ *testing.T }

func (o *onceTB) TempDir() string { return tempDir(o.T) }
func (o *onceTB) Cleanup(func())  {}

// Pages of the shared test site.
const (
	young  = "/case-studies/young-minds-portal/"
	portal = "/blueprints/patient-portal/"
)

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

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// tempDir makes a folder that outlives the test that asked for it; TestMain
// removes them all.
func tempDir(t *testing.T) string {
	d, err := os.MkdirTemp("", "kb-web-test-")
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

// handlerWith is the site's search handler with options.
func (s *site) handlerWith(tb testing.TB, opts ...web.Option) http.Handler {
	tb.Helper()
	h, err := s.model.SearchHandler(s.idx, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// truncate shortens a body for a failure message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
