// Package sitebuild builds whole sites for tests that check the output as a
// visitor would see it (links, security policy, accessibility): the
// repository's own knowledge base, or a little site from a txtar archive. It
// sits apart from sitetest so that tests of the build package itself can keep
// using sitetest without an import cycle.
package sitebuild

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/sitetest"
)

// Repo builds the repository's knowledge base (content/, site.yaml,
// topics.yaml) with the default theme and returns the output folder.
func Repo(tb testing.TB) string {
	tb.Helper()
	return Dir(tb, sitetest.RepoRoot(tb))
}

// Archive lays out a txtar archive, builds it, and returns the output folder.
func Archive(tb testing.TB, file string) string {
	tb.Helper()
	_, root := sitetest.Load(tb, file)
	return Dir(tb, root)
}

// Dir builds the knowledge base in source and returns the output folder.
func Dir(tb testing.TB, source string) string {
	tb.Helper()
	out := filepath.Join(tb.TempDir(), "public")
	opt := build.Options{Source: source, Out: out, ThemeDir: sitetest.ThemeDir(tb), BaseURL: "https://kb.example.org"}
	if _, _, err := build.Build(opt); err != nil {
		tb.Fatalf("building %s: %v", source, err)
	}
	return out
}

// Searched is a site built with its search index, the index opened as kb
// serve opens it, and the search handler in the site's frame.
type Searched struct {
	Root    string // the source folder
	Index   string // the index folder
	Idx     *search.Index
	Handler http.Handler
	Model   *build.Model
}

// Search builds the knowledge base in source with the default theme and its
// index, and opens the index; it is closed when tb's cleanups run.
func Search(tb testing.TB, source string) *Searched {
	tb.Helper()
	out := tb.TempDir()
	s := &Searched{Root: source, Index: filepath.Join(out, "index.bleve")}
	var err error
	s.Model, _, err = build.Build(build.Options{Source: source, Out: filepath.Join(out, "public"), ThemeDir: sitetest.ThemeDir(tb), IndexDir: s.Index})
	if err != nil {
		tb.Fatalf("build: %v", err)
	}
	if s.Idx, err = search.Open(s.Index); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Idx.Close() })
	if s.Handler, err = s.Model.SearchHandler(s.Idx); err != nil {
		tb.Fatal(err)
	}
	return s
}

// Get sends a GET to the search handler and returns the recorded answer.
func (s *Searched) Get(tb testing.TB, target string) *httptest.ResponseRecorder {
	tb.Helper()
	w := httptest.NewRecorder()
	s.Handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
	return w
}

// API queries /api/search and decodes a successful answer.
func (s *Searched) API(tb testing.TB, params string) search.Result {
	tb.Helper()
	w := s.Get(tb, "/api/search?"+params)
	if w.Code != http.StatusOK {
		tb.Fatalf("GET /api/search?%s: status %d: %s", params, w.Code, w.Body)
	}
	var res search.Result
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		tb.Fatalf("GET /api/search?%s: %v", params, err)
	}
	return res
}

// Shared is a site from a txtar archive, built with its index once for a
// whole test binary and only read by its tests: its folders and open index
// outlive the test that first asked for it, until Close, which the
// package's TestMain calls.
type Shared struct {
	archive string
	once    sync.Once
	site    *Searched
	dirs    []string
}

// NewShared names the archive the shared site is built from.
func NewShared(archive string) *Shared { return &Shared{archive: archive} }

// Get builds the site on the first call and returns it.
func (s *Shared) Get(t *testing.T) *Searched {
	s.once.Do(func() {
		keep := &keepTB{T: t, shared: s}
		_, root := sitetest.Load(keep, s.archive)
		s.site = Search(keep, root)
	})
	if s.site == nil {
		t.Fatal("the shared test site did not build")
	}
	return s.site
}

// Close closes the site's index and removes its folders.
func (s *Shared) Close() {
	if s.site != nil {
		s.site.Idx.Close()
	}
	for _, d := range s.dirs {
		os.RemoveAll(d)
	}
}

// keepTB is the first test as the shared site's builder sees it: folders
// and cleanups are the Shared's, not the test's.
type keepTB struct {
	*testing.T
	shared *Shared
}

func (k *keepTB) TempDir() string {
	d, err := os.MkdirTemp("", "kb-shared-site-")
	if err != nil {
		k.Fatal(err)
	}
	k.shared.dirs = append(k.shared.dirs, d)
	return d
}

func (k *keepTB) Cleanup(func()) {}
