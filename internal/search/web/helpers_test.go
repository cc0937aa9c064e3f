package web_test

import (
	"net/http"
	"os"
	"slices"
	"testing"

	"github.com/nhsx/kb/internal/search/web"
	"github.com/nhsx/kb/internal/sitetest"
	"github.com/nhsx/kb/internal/sitetest/sitebuild"
)

// site is a built test knowledge base with its index open and its handler,
// served in the frame of the default theme, as kb serve serves it.
type site struct{ *sitebuild.Searched }

// buildSite lays out the txtar archive, runs the real kb build into a temp
// folder (site and index), and opens the index the way kb serve would.
func buildSite(tb testing.TB, archive string) *site {
	tb.Helper()
	_, root := sitetest.Load(tb, archive)
	return &site{sitebuild.Search(tb, root)}
}

// miniArchive is the search package's shared test site.
const miniArchive = "../testdata/mini.txtar"

// miniSite is that site built once; tests only read it.
var miniSite = sitebuild.NewShared(miniArchive)

func mini(t *testing.T) *site { return &site{miniSite.Get(t)} }

// Pages of the shared test site.
const (
	young  = "/case-studies/young-minds-portal/"
	portal = "/blueprints/patient-portal/"
)

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestMain(m *testing.M) {
	code := m.Run()
	miniSite.Close()
	os.Exit(code)
}

// handlerWith is the site's search handler with options.
func (s *site) handlerWith(tb testing.TB, opts ...web.Option) http.Handler {
	tb.Helper()
	h, err := s.Model.SearchHandler(s.Idx, opts...)
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
