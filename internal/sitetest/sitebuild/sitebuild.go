// Package sitebuild builds whole sites for tests that check the output as a
// visitor would see it (links, security policy, accessibility): the
// repository's own knowledge base, or a little site from a txtar archive. It
// sits apart from sitetest so that tests of the build package itself can keep
// using sitetest without an import cycle.
package sitebuild

import (
	"net/http"
	"path/filepath"
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
