package search_test

import (
	"os"
	"testing"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/search"
	kbsite "github.com/nhsx/kb/internal/site"
	"github.com/nhsx/kb/internal/sitetest"
	"github.com/nhsx/kb/internal/sitetest/sitebuild"
)

// site is a built test knowledge base with its index open and its handler.
type site struct{ *sitebuild.Searched }

// buildSite lays out the txtar archive, runs the real kb build into a temp
// folder (site and index), and opens the index the way kb serve would.
func buildSite(tb testing.TB, archive string) *site {
	tb.Helper()
	_, root := sitetest.Load(tb, archive)
	return buildAt(tb, root)
}

func buildAt(tb testing.TB, root string) *site { return &site{sitebuild.Search(tb, root)} }

// miniSite is the shared test site, built once; tests only read it.
var miniSite = sitebuild.NewShared("testdata/mini.txtar")

func mini(t *testing.T) *site { return &site{miniSite.Get(t)} }

func urls(res search.Result) []string {
	var out []string
	for _, h := range res.Results {
		out = append(out, h.URL)
	}
	return out
}

// tempDirs are folders the benchmarks keep for the whole run.
var tempDirs []string

func TestMain(m *testing.M) {
	code := m.Run()
	miniSite.Close()
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
